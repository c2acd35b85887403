using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Rnn;

/// <summary>
/// Float64 central differences (GradCheck) through every recurrent layer on small sizes, with respect to the input, the
/// initial states and every parameter; and the fused LSTM against the op-by-op LstmCell it replaces.
/// </summary>
public class RecurrentGradCheckTests
{
    const int T = 4, B = 2, In = 3, H = 3;

    static Tensor Rand(Generator g, params int[] shape) => Tensor.Randn(shape, g, DType.Float64, requiresGrad: true);

    /// <summary>Feeds the module's parameters through GradCheck's inputs: the checked function copies them in before each call.</summary>
    static void CheckModule(Module module, Func<Tensor[], Tensor> run, Tensor[] extra)
    {
        var parameters = module.Parameters().ToArray();
        var inputs = extra.Concat(parameters).ToArray();
        var result = GradCheck.Check(xs => run(xs), inputs);
        Assert.True(result.Passed, result.Report);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void Lstm(bool batchFirst, int layers)
    {
        var g = new Generator(3);
        var lstm = new Lstm(In, H, layers, batchFirst: batchFirst, dtype: DType.Float64, generator: g);
        var x = Rand(g, batchFirst ? [B, T, In] : [T, B, In]);
        var h0 = Rand(g, layers, B, H);
        var c0 = Rand(g, layers, B, H);
        var w = Tensor.Randn(batchFirst ? [B, T, H] : [T, B, H], g, DType.Float64);
        // Parameters are inputs too: GradCheck perturbs them in place and the module reads them on every call.
        CheckModule(lstm, xs =>
        {
            var r = lstm.Forward(xs[0], (xs[1], xs[2]));
            return F.Cat([F.Flatten(r.Output * w), F.Flatten(r.H), F.Flatten(r.C)]);
        }, [x, h0, c0]);
    }

    [Fact]
    public void LstmWithoutBias()
    {
        var g = new Generator(4);
        var lstm = new Lstm(In, H, bias: false, dtype: DType.Float64, generator: g);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0"], lstm.NamedParameters().Select(p => p.Key));
        CheckModule(lstm, xs => lstm.Forward(xs[0]), [Rand(g, T, B, In)]);
    }

    [Theory]
    [InlineData(RnnNonlinearity.Tanh, false)]
    [InlineData(RnnNonlinearity.ReLU, true)]
    public void Rnn(RnnNonlinearity nonlinearity, bool batchFirst)
    {
        var g = new Generator(5);
        var rnn = new SharpGrad.Nn.Rnn(In, H, 2, nonlinearity, batchFirst: batchFirst, dtype: DType.Float64, generator: g);
        var x = Rand(g, batchFirst ? [B, T, In] : [T, B, In]);
        CheckModule(rnn, xs =>
        {
            var r = rnn.Forward(xs[0], xs[1]);
            return F.Cat([F.Flatten(r.Output), F.Flatten(r.H)]);
        }, [x, Rand(g, 2, B, H)]);
    }

    [Fact]
    public void Gru()
    {
        var g = new Generator(6);
        var gru = new Gru(In, H, 2, dtype: DType.Float64, generator: g);
        CheckModule(gru, xs =>
        {
            var r = gru.Forward(xs[0], xs[1]);
            return F.Cat([F.Flatten(r.Output), F.Flatten(r.H)]);
        }, [Rand(g, T, B, In), Rand(g, 2, B, H)]);
    }

    [Fact]
    public void LstmCell()
    {
        var g = new Generator(7);
        var cell = new LstmCell(In, H, dtype: DType.Float64, generator: g);
        CheckModule(cell, xs =>
        {
            var (h, c) = cell.Forward(xs[0], (xs[1], xs[2]));
            return F.Cat([F.Flatten(h), F.Flatten(c)]);
        }, [Rand(g, B, In), Rand(g, B, H), Rand(g, B, H)]);
    }

    [Fact]
    public void FusedLstmEqualsTheCellStepByStep()
    {
        var g = new Generator(8);
        var lstm = new Lstm(In, H, 2, dtype: DType.Float64, generator: g);
        var x = Rand(g, T, B, In);
        var fused = lstm.Forward(x);
        var (hs, _) = StepByStep(lstm, x);
        // Both compute the same formulas in double; only rounding (tanh via 2σ(2a) − 1 in the fused kernel) differs.
        Assert.Equal(fused.ToArray(), F.Stack(hs).ToArray(), (a, b) => Math.Abs(a - b) < 1e-13);
    }

    static (Tensor[] h, Tensor[] c) StepByStep(Lstm lstm, Tensor x)
    {
        var seq = Enumerable.Range(0, x.Shape[0]).Select(t => x.Select(0, t)).ToArray();
        var cs = new Tensor[seq.Length];
        for (int l = 0; l < lstm.NumLayers; l++)
        {
            var cell = lstm.Cell(l);
            (Tensor H, Tensor C)? state = null;
            for (int t = 0; t < seq.Length; t++)
            {
                state = cell.Forward(seq[t], state);
                (seq[t], cs[t]) = state.Value;
            }
        }
        return (seq, cs);
    }

    [Fact]
    public void FusedLstmSupportsDoubleBackward()
    {
        // createGraph runs the op's differentiable backward; its own gradient (a Hessian-vector product) is checked
        // against central differences of the first derivative.
        var g = new Generator(9);
        var wIh = Rand(g, 4 * H, In); var wHh = Rand(g, 4 * H, H);
        var bIh = Rand(g, 4 * H); var bHh = Rand(g, 4 * H);
        var v = Tensor.Randn([T, B, H], g, DType.Float64);
        Tensor Loss(Tensor x, Tensor h0, Tensor c0) => (F.LstmLayer(x, h0, c0, wIh, wHh, bIh, bHh).Output * v).Sum();
        var inputs = new[] { Rand(g, T, B, In), Rand(g, B, H), Rand(g, B, H) };

        var fast = Autograd.Grad([Loss(inputs[0], inputs[1], inputs[2])], inputs);
        var viaOps = Autograd.Grad([Loss(inputs[0], inputs[1], inputs[2])], inputs, createGraph: true);
        for (int i = 0; i < inputs.Length; i++)
            Assert.Equal(fast[i]!.ToArray(), viaOps[i]!.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);

        var result = GradCheck.Check(xs =>
        {
            var dx = Autograd.Grad([Loss(xs[0], xs[1], xs[2])], [xs[0], xs[1]], createGraph: true);
            return F.Cat([F.Flatten(dx[0]!), F.Flatten(dx[1]!)]);
        }, inputs);
        Assert.True(result.Passed, result.Report);
    }

    [Fact]
    public void BadShapesNameTheModuleAndTheShapes()
    {
        var lstm = new Lstm(In, H, 2);
        var e = Assert.Throws<ArgumentException>(() => lstm.Forward(Tensor.Zeros(T, B, In + 1)));
        Assert.Contains("Lstm", e.Message);
        Assert.Contains($"[{T}, {B}, {In + 1}]", e.Message);
        var s = Assert.Throws<ArgumentException>(() => lstm.Forward(Tensor.Zeros(T, B, In), (Tensor.Zeros(1, B, H), Tensor.Zeros(2, B, H))));
        Assert.Contains("h0", s.Message);
        var op = Assert.Throws<ArgumentException>(() => F.LstmLayer(Tensor.Zeros(T, B, In), Tensor.Zeros(B, H), Tensor.Zeros(B, H),
            Tensor.Zeros(4 * H, In), Tensor.Zeros(4 * H, H + 1)));
        Assert.Contains("LstmLayer", op.Message);
        Assert.Throws<ArgumentException>(() => new Gru(In, H).Forward(Tensor.Zeros(T, In)));
    }
}
