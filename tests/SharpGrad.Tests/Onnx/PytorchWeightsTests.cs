using System.IO.Compression;
using SharpGrad.IO;
using SharpGrad.Models;
using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.OnnxInterop;

/// <summary>
/// PyTorch weights both ways. Expected values come from tools/golden/pytorch_weights.py (Debian's PyTorch 1.13):
/// torch_*: PyTorch's state dict with its input and output; reverse_*: PyTorch's output after loading SharpGrad's
/// state dict (sharpgrad_*, written by <see cref="WriteSharpGradFixtures"/>) into the same torch module.
/// </summary>
public sealed class PytorchWeightsTests
{
    static string Folder => Path.Combine(AppContext.BaseDirectory, "Golden", "PytorchWeights");

    /// <summary>A gzip-compressed fixture's bytes.</summary>
    internal static byte[] Gunzip(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        gz.CopyTo(raw);
        return raw.ToArray();
    }

    static Dictionary<string, Tensor> Read(string file) => Safetensors.Deserialize(Gunzip(Path.Combine(Folder, file)), file).Tensors;

    static Module Build(string name, ulong seed) => name == "lstm" ? new Lstm(3, 8, numLayers: 2, generator: new Generator(seed)) : ModelZoo.Create(name, new Generator(seed));

    public static TheoryData<string> Models => ["lenet", "mlp", "lstm"];

    [Theory]
    [MemberData(nameof(Models))]
    public void PytorchStateDictGivesPytorchsOutput(string name)
    {
        var state = Read($"torch_{name}.safetensors.gz");
        var model = Build(name, 1);
        // The fixture's extra entries are the input and output: a non-strict load reports exactly those.
        var result = model.LoadStateDict(state, strict: false);
        Assert.Empty(result.MissingKeys);
        Assert.Equal(["__input__", "__output__"], result.UnexpectedKeys.Order());
        model.Eval();
        double[] y;
        using (Autograd.NoGrad()) y = model.Forward(state["__input__"]).ToArray();
        Assert.True(OnnxTestModels.MaxAbsDiff(y, state["__output__"].ToArray()) <= 1e-5, $"{name}: differs from PyTorch by {OnnxTestModels.MaxAbsDiff(y, state["__output__"].ToArray())}");
    }

    [Fact]
    public void NonStrictLoadReturnsMissingKeysAndLoadsTheRest()
    {
        var model = new Sequential(new Linear(2, 2), new Linear(2, 1));
        var weight = Tensor.FromArray([1.0, 2, 3, 4], [2, 2], DType.Float32);
        var partial = new Dictionary<string, Tensor> { ["0.weight"] = weight, ["head.weight"] = Tensor.Zeros([1, 2]) };
        // Strict (the default) refuses, naming both sides, as PyTorch's load_state_dict does.
        var e = Assert.Throws<ArgumentException>(() => model.LoadStateDict(partial));
        Assert.Contains("head.weight", e.Message);
        var result = model.LoadStateDict(partial, strict: false);
        Assert.Equal(["0.bias", "1.bias", "1.weight"], result.MissingKeys.Order());
        Assert.Equal(["head.weight"], result.UnexpectedKeys);
        Assert.Equal([1.0, 2, 3, 4], model.StateDict()["0.weight"].ToArray());
    }

    /// <summary>SharpGrad's model for the reverse direction: seeded init, weights thinned as the script thins PyTorch's (keeps files small).</summary>
    static (Module model, Tensor input) SharpGradSide(string name)
    {
        var model = Build(name, 16);
        double keep = name switch { "lenet" => 0.15, "mlp" => 0.01, _ => 1.0 };
        var g = new Generator(17);
        using (Autograd.NoGrad())
            foreach (var (key, t) in model.StateDict())
                if (key.Contains("weight", StringComparison.Ordinal))
                {
                    var v = t.ToArray();
                    for (int i = 0; i < v.Length; i++) if (g.NextDouble() >= keep) v[i] = 0;
                    t.Copy_(Tensor.FromArray(v, [.. t.Shape], t.DType));
                }
        model.Eval();
        return (model, OnnxTestModels.Randn(name == "lstm" ? [5, 2, 3] : [2, 1, 28, 28], 18));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void SharpGradStateDictGivesSharpGradsOutputInPytorch(string name)
    {
        var (model, input) = SharpGradSide(name);
        // The committed fixture is this model's state dict (it would be stale otherwise).
        var written = Read($"sharpgrad_{name}.safetensors.gz");
        foreach (var (key, t) in model.StateDict())
            Assert.Equal(t.ToArray(), written[key].ToArray());
        Assert.Equal(input.ToArray(), written["__input__"].ToArray());
        double[] y;
        using (Autograd.NoGrad()) y = model.Forward(input).ToArray();
        var torchOutput = Read($"reverse_{name}.safetensors.gz")["__output__"].ToArray();
        Assert.True(OnnxTestModels.MaxAbsDiff(y, torchOutput) <= 1e-5, $"{name}: PyTorch with SharpGrad's weights differs by {OnnxTestModels.MaxAbsDiff(y, torchOutput)}");
    }

    /// <summary>
    /// With SHARPGRAD_WRITE_GOLDEN=DIR (the source folder Golden/PytorchWeights) writes sharpgrad_*.safetensors.gz for
    /// tools/golden/pytorch_weights.py to load into PyTorch; otherwise checks that every model has its fixture.
    /// </summary>
    [Fact]
    public void WriteSharpGradFixtures()
    {
        string? target = Environment.GetEnvironmentVariable("SHARPGRAD_WRITE_GOLDEN");
        foreach (var name in new[] { "lenet", "mlp", "lstm" })
        {
            if (target is null)
            {
                Assert.True(File.Exists(Path.Combine(Folder, $"sharpgrad_{name}.safetensors.gz")));
                continue;
            }
            var (model, input) = SharpGradSide(name);
            var tensors = new Dictionary<string, Tensor>(model.StateDict()) { ["__input__"] = input };
            var bytes = Safetensors.Serialize(tensors);
            using var file = File.Create(Path.Combine(target, $"sharpgrad_{name}.safetensors.gz"));
            using var gz = new GZipStream(file, CompressionLevel.SmallestSize);
            gz.Write(bytes);
        }
    }
}
