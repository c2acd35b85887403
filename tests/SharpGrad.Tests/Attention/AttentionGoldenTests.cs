using SharpGrad.Nn;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Attention;

/// <summary>
/// LayerNorm, MultiheadAttention and TransformerEncoderLayer against PyTorch 1.13 (tools/golden/nn_attention.py →
/// Golden/nn_attention.json): torch's state dict loaded by name, outputs, attention weights, and the gradient of
/// Σ output·grad_output for every parameter and input. Tolerances: 1e-10 in float64 (same formulas, other summation
/// orders), 1e-5 in float32.
/// </summary>
public class AttentionGoldenTests
{
    const string File = "nn_attention.json";

    public static TheoryData<string> LayerNormCases => GoldenFile.CaseNames(File, "layer_norm");
    public static TheoryData<string> AttentionCases => GoldenFile.CaseNames(File, "multihead_attention");
    public static TheoryData<string> EncoderCases => GoldenFile.CaseNames(File, "transformer_encoder_layer");

    [Theory]
    [MemberData(nameof(LayerNormCases))]
    public void LayerNormMatchesPyTorch(string name)
    {
        var c = GoldenFile.Load(File)[name];
        var dtype = DTypeOf(c);
        var inputs = c.Inputs.Select(t => ToTensor(t, dtype, requiresGrad: true)).ToArray();
        var output = F.LayerNorm(inputs[0], c.ArgInts("normalized_shape"), inputs.ElementAtOrDefault(1), inputs.ElementAtOrDefault(2), c.ArgDouble("eps"));
        double tol = Tol(c);
        GoldenAssert.Close(c.Output, [.. output.Shape], output.ToArray(), tol, tol, $"{name} output");
        (output * ToTensor(c.GradOutput, dtype)).Sum().Backward();
        for (int i = 0; i < inputs.Length; i++)
            GoldenAssert.Close(c.Grads[i]!, [.. inputs[i].Shape], inputs[i].Grad!.ToArray(), tol, tol, $"{name} grad {i}");
    }

    [Fact]
    public void LayerNormModuleHasTorchsStateDictNames()
    {
        // torch.nn.LayerNorm(5).state_dict().keys() == ['weight', 'bias']; without affine it has none.
        Assert.Equal(["bias", "weight"], new LayerNorm(5).StateDict().Keys.Order());
        Assert.Empty(new LayerNorm(5, elementwiseAffine: false).StateDict());
    }

    [Theory]
    [MemberData(nameof(AttentionCases))]
    public void MultiheadAttentionMatchesPyTorch(string name)
    {
        var c = GoldenFile.Load(File)[name];
        var dtype = DTypeOf(c);
        var mha = new MultiheadAttention(c.ArgInt("embed_dim"), c.ArgInt("num_heads"), batchFirst: c.ArgBool("batch_first"), dtype: dtype);
        Load(mha, c, dtype);
        var query = ToTensor(c.Tensor("query"), dtype, requiresGrad: true);
        bool self = c.ArgBool("self");
        var key = self ? query : ToTensor(c.Tensor("key"), dtype, requiresGrad: true);
        var value = self ? query : ToTensor(c.Tensor("value"), dtype, requiresGrad: true);
        var keyPadding = Mask(c, "key_padding_mask", dtype);
        var attnMask = Mask(c, "attn_mask", dtype);
        bool needWeights = c.ArgBool("need_weights");
        var (output, weights) = mha.Forward(query, key, value, keyPadding, needWeights, attnMask, c.ArgBool("average_attn_weights"));

        double tol = Tol(c);
        GoldenAssert.Close(c.Output, [.. output.Shape], output.ToArray(), tol, tol, $"{name} output");
        Assert.Equal(needWeights, weights is not null);
        if (needWeights) GoldenAssert.Close(c.Tensor("weights"), [.. weights!.Shape], weights.ToArray(), tol, tol, $"{name} weights");
        (output * ToTensor(c.GradOutput, dtype)).Sum().Backward();
        CheckParameterGrads(mha, c, tol);
        GoldenAssert.Close(c.Tensor("grads.query"), [.. query.Shape], query.Grad!.ToArray(), tol, tol, $"{name} grad query");
        if (!self)
        {
            GoldenAssert.Close(c.Tensor("grads.key"), [.. key.Shape], key.Grad!.ToArray(), tol, tol, $"{name} grad key");
            GoldenAssert.Close(c.Tensor("grads.value"), [.. value.Shape], value.Grad!.ToArray(), tol, tol, $"{name} grad value");
        }
    }

    [Theory]
    [MemberData(nameof(EncoderCases))]
    public void TransformerEncoderLayerMatchesPyTorch(string name)
    {
        var c = GoldenFile.Load(File)[name];
        var dtype = DTypeOf(c);
        var activation = c.ArgString("activation") == "gelu" ? TransformerActivation.Gelu : TransformerActivation.ReLU;
        var layer = new TransformerEncoderLayer(c.ArgInt("d_model"), c.ArgInt("nhead"), c.ArgInt("dim_feedforward"), dropout: 0, activation,
            batchFirst: c.ArgBool("batch_first"), normFirst: c.ArgBool("norm_first"), dtype: dtype);
        Load(layer, c, dtype);
        var src = ToTensor(c.Tensor("src"), dtype, requiresGrad: true);
        var output = layer.Forward(src, null, Mask(c, "src_key_padding_mask", dtype));

        double tol = Tol(c);
        GoldenAssert.Close(c.Output, [.. output.Shape], output.ToArray(), tol, tol, $"{name} output");
        (output * ToTensor(c.GradOutput, dtype)).Sum().Backward();
        CheckParameterGrads(layer, c, tol);
        GoldenAssert.Close(c.Tensor("grads.src"), [.. src.Shape], src.Grad!.ToArray(), tol, tol, $"{name} grad src");
    }

    // Loads torch's state dict strictly: the module must have exactly torch's names.
    static void Load(Module module, GoldenCase c, DType dtype)
    {
        var state = c.Tensors("params");
        Assert.Equal(state.Keys.Order(), module.StateDict().Keys.Order());
        module.LoadStateDict(state.ToDictionary(kv => kv.Key, kv => ToTensor(kv.Value, dtype)));
    }

    static void CheckParameterGrads(Module module, GoldenCase c, double tol)
    {
        var grads = c.Tensors("grads");   // parameter names hold dots, so they are looked up in the dictionary, not as a path
        foreach (var (pname, p) in module.NamedParameters())
            GoldenAssert.Close(grads[pname], [.. p.Shape], p.Grad!.ToArray(), tol, tol, $"{c.Name} grad {pname}");
    }

    // Bool masks are stored as 0/1 (1 = not allowed) and become additive through BoolMask; float masks are additive as they are.
    static Tensor? Mask(GoldenCase c, string field, DType dtype)
    {
        if (!c.Has(field)) return null;
        var mask = ToTensor(c.Tensor(field), dtype);
        bool isBool = field == "src_key_padding_mask" || c.ArgString(field).StartsWith("bool", StringComparison.Ordinal);
        return isBool ? MultiheadAttention.BoolMask(mask) : mask;
    }

    static DType DTypeOf(GoldenCase c) => c.IsFloat32 ? DType.Float32 : DType.Float64;
    static double Tol(GoldenCase c) => c.IsFloat32 ? 1e-5 : 1e-10;
    static Tensor ToTensor(GoldenTensor t, DType dtype, bool requiresGrad = false) => Tensor.FromArray(t.Data, t.Shape, dtype, requiresGrad);
}
