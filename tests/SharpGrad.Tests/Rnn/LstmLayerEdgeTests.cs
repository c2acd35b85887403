using Xunit;
using static SharpGrad.Tests.Core.OpTrace;

namespace SharpGrad.Tests.Rnn;

/// <summary>
/// F.LstmLayer's argument checks (exact messages naming the argument and the shapes), its empty-batch node, and the
/// differentiable (create-graph) backward against the kernel's backward, which is the independent reference: both
/// must give the same seven gradients, and the create-graph path must skip dL/dx's GEMM when x needs no gradient.
/// </summary>
public class LstmLayerEdgeTests
{
    const int T = 2, B = 3, I = 5, H = 1;   // T·B = 6, I = 5 and 4H = 4 all differ, so each GEMM's shape names it

    static Tensor R(Generator g, bool requiresGrad, params int[] shape) => Tensor.Randn(shape, g, DType.Float64, requiresGrad);

    [Fact]
    public void RefusesAWeightHhThatIsNot4HByHAndAnInputThatIsNot3D()
    {
        var x = Tensor.Zeros([1, 1, 3], DType.Float64);
        var h = Tensor.Zeros([1, 3], DType.Float64);
        // [8, 3]: 8 is a multiple of 4 but not 4·3.
        Assert.Equal("LstmLayer: weight_hh must be [4H, H], got [8, 3]",
            Assert.Throws<ArgumentException>(() => F.LstmLayer(x, h, h, Tensor.Zeros([8, 3], DType.Float64), Tensor.Zeros([8, 3], DType.Float64))).Message);
        Assert.Equal("LstmLayer: input must be [T, B, input_size] with T ≥ 1, got [2, 3]",
            Assert.Throws<ArgumentException>(() => F.LstmLayer(Tensor.Zeros([2, 3], DType.Float64), h, h,
                Tensor.Zeros([12, 3], DType.Float64), Tensor.Zeros([12, 3], DType.Float64))).Message);
    }

    [Fact]
    public void AnEmptyBatchIsOneLstmLayerNode()
    {
        // B = 0: torch gives empty outputs; the op is still recorded under its own name.
        var calls = Calls(() => F.LstmLayer(Tensor.Zeros([2, 0, 3], DType.Float64), Tensor.Zeros([0, 1], DType.Float64), Tensor.Zeros([0, 1], DType.Float64),
            Tensor.Zeros([4, 3], DType.Float64), Tensor.Zeros([4, 1], DType.Float64)));
        Assert.Equal(1, Forward(calls, "LstmLayer"));
    }

    // The gradients of Σ output·v + Σ c_T·w with respect to every input, by the kernel (createGraph false) or in ops.
    static Tensor?[] Grads(Tensor[] inputs, bool createGraph)
    {
        var g = new Generator(7);
        var v = Tensor.Randn([T, B, H], g, DType.Float64);
        var w = Tensor.Randn([B, H], g, DType.Float64);
        using var _ = Autograd.EnableGrad();
        var r = inputs.Length > 5
            ? F.LstmLayer(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5], inputs[6])
            : F.LstmLayer(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]);
        var loss = F.Sum(r.Output * v) + F.Sum(r.CN * w);
        return Autograd.Grad([loss], [.. inputs.Where(t => t.RequiresGrad)], createGraph: createGraph);
    }

    static Tensor[] Inputs(bool biases, bool xRequiresGrad = true)
    {
        var g = new Generator(3);
        Tensor[] t = [R(g, xRequiresGrad, T, B, I), R(g, true, B, H), R(g, true, B, H), R(g, true, 4 * H, I), R(g, true, 4 * H, H)];
        return biases ? [.. t, R(g, true, 4 * H), R(g, true, 4 * H)] : t;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CreateGraphBackwardGivesTheKernelsGradients(bool biases)
    {
        // With biases: dL/db_ih = dL/db_hh = Σ_t dA_t in both; without: five gradients, none for biases.
        var inputs = Inputs(biases);
        var kernel = Grads(inputs, createGraph: false);
        var ops = Grads(inputs, createGraph: true);
        Assert.Equal(biases ? 7 : 5, ops.Length);
        for (int i = 0; i < ops.Length; i++)
            Assert.Equal(kernel[i]!.ToArray(), ops[i]!.ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
    }

    [Fact]
    public void CreateGraphBackwardSkipsTheInputGradientsGemmWhenXNeedsNone()
    {
        // dL/dx = dA·W_ih is the only [T·B, 4H]·[4H, I] product (m = 6, n = 5, k = 4): run only when x requires grad.
        static int DxGemms(bool xRequiresGrad)
        {
            var inputs = Inputs(biases: true, xRequiresGrad);
            return Gemms(() => Grads(inputs, createGraph: true)).Where(t => t.Shape.M == T * B && t.Shape.N == I && t.Shape.K == 4 * H).Sum(t => (int)t.Calls);
        }
        Assert.Equal(1, DxGemms(true));
        Assert.Equal(0, DxGemms(false));
    }
}
