using SharpGrad.Nn;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// BatchNorm3d against torch.nn.BatchNorm3d (tests/SharpGrad.Tests/Golden/nn_conv.json, tools/golden/nn_conv.py): torch's state
/// dict (weight, bias, running statistics) loaded, one training step (output, gradients, updated running statistics) and
/// evaluation with the running statistics; 1e-10 in float64. ONNX: OnnxExportTests.Conv3dAndBatchNorm3dRunInOnnxRuntimeAndImportBack.
/// </summary>
public class BatchNorm3dTests
{
    static double[] Doubles(GoldenCase c, string name) => [.. c.Args.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];

    [Theory]
    [InlineData("batch_norm3d_train")]
    [InlineData("batch_norm3d_eval")]
    public void Matches_pytorch_after_loading_its_state_dict(string name)
    {
        var c = GoldenFile.Load("nn_conv.json")[name];
        var bn = new BatchNorm3d(3, dtype: DType.Float64);
        var state = new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.FromArray(c.Inputs[1].Data, c.Inputs[1].Shape, DType.Float64),
            ["bias"] = Tensor.FromArray(c.Inputs[2].Data, c.Inputs[2].Shape, DType.Float64),
            ["running_mean"] = Tensor.FromArray(Doubles(c, "running_mean"), [3], DType.Float64),
            ["running_var"] = Tensor.FromArray(Doubles(c, "running_var"), [3], DType.Float64),
            ["num_batches_tracked"] = Tensor.Zeros([], bn.NumBatchesTracked!.DType),
        };
        var loaded = bn.LoadStateDict(state);
        Assert.Empty(loaded.MissingKeys);
        Assert.Empty(loaded.UnexpectedKeys);
        bn.Train(c.ArgBool("training"));
        var x = Tensor.FromArray(c.Inputs[0].Data, c.Inputs[0].Shape, DType.Float64, requiresGrad: true);
        var o = bn.Forward(x);
        GoldenAssert.Close(c.Output, [.. o.Shape], o.ToArray(), 1e-10, 1e-10, name + " output");
        o.Backward(Tensor.FromArray(c.GradOutput.Data, c.GradOutput.Shape, DType.Float64));
        GoldenAssert.Close(c.Grads[0]!, [.. x.Grad!.Shape], x.Grad!.ToArray(), 1e-10, 1e-10, name + " grad of input");
        GoldenAssert.Close(c.Grads[1]!, [.. bn.Weight!.Grad!.Shape], bn.Weight!.Grad!.ToArray(), 1e-10, 1e-10, name + " grad of weight");
        GoldenAssert.Close(c.Grads[2]!, [.. bn.Bias!.Grad!.Shape], bn.Bias!.Grad!.ToArray(), 1e-10, 1e-10, name + " grad of bias");
        var mean = bn.RunningMean!.ToArray();
        var variance = bn.RunningVar!.ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Doubles(c, "running_mean_after")[i], mean[i], 12);
            Assert.Equal(Doubles(c, "running_var_after")[i], variance[i], 12);
        }
    }

    [Fact]
    public void Rejects_inputs_that_are_not_5d()
    {
        var e = Assert.Throws<ArgumentException>(() => new BatchNorm3d(2).Forward(Tensor.Zeros([2, 2, 3, 3])));
        Assert.Contains("BatchNorm3d: input [2, 2, 3, 3] must have rank 5 and 2 channels in dimension 1", e.Message);
    }
}
