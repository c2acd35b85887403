using SharpGrad.IO;
using SharpGrad.IO.Onnx;
using Xunit;

namespace SharpGrad.Tests.OnnxInterop;

/// <summary>
/// Files written by PyTorch's ONNX exporter import and agree with PyTorch. Expected values: tools/golden/pytorch_onnx.py
/// (torch.onnx.export at opset 13 and the module's own output, Debian's PyTorch 1.13).
/// </summary>
public sealed class PytorchOnnxImportTests
{
    [Theory]
    [InlineData("lenet")]
    [InlineData("lstm")]
    public void PytorchExportImportsAndAgrees(string name)
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Golden", "PytorchOnnx");
        var model = Onnx.Load(PytorchWeightsTests.Gunzip(Path.Combine(folder, $"{name}.onnx.gz")), $"{name}.onnx");
        var io = Safetensors.Deserialize(PytorchWeightsTests.Gunzip(Path.Combine(folder, $"{name}.io.safetensors.gz"))).Tensors;
        double[] y;
        using (Autograd.NoGrad()) y = model.Forward(io["__input__"]).ToArray();
        Assert.True(OnnxTestModels.MaxAbsDiff(y, io["__output__"].ToArray()) <= 1e-5, $"{name}: differs from PyTorch by {OnnxTestModels.MaxAbsDiff(y, io["__output__"].ToArray())}");
        // PyTorch names lenet's initializers by its state dict, so the imported state dict has PyTorch's keys.
        if (name == "lenet") Assert.Equal(["0.bias", "0.weight", "11.bias", "11.weight", "3.bias", "3.weight", "7.bias", "7.weight", "9.bias", "9.weight"], model.StateDict().Keys.Order(StringComparer.Ordinal));
    }
}
