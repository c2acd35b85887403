using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Rnn;

/// <summary>The gradient-flow instruments and truncated BPTT, checked against independent computations.</summary>
public class GradientFlowTests
{
    const int T = 6, B = 2, H = 4;

    static bool Close(double a, double b) => Math.Abs(a - b) < 1e-12;

    [Fact]
    public void CellJacobianByAutodiffEqualsTheChainRuleWrittenOut()
    {
        var g = new Generator(11);
        var lstm = new Lstm(H, H, 2, dtype: DType.Float64, generator: g);       // input size = H, so the printed form is square
        var x = Tensor.Randn([T, B, H], g, DType.Float64);
        for (int layer = 0; layer < 2; layer++)
        {
            var j = GradientFlow.CellJacobian(lstm, x, step: 3, batchIndex: 1, layer: layer);
            Assert.Equal(new[] { H, H }, j.Full.Shape);
            Assert.Equal(j.Full.ToArray(), j.FullClosedForm.ToArray(), Close);
            // The through-h term is not zero: the full Jacobian is not diag(f_t)…
            var offDiagonal = (j.Full - Tensor.Eye(H, DType.Float64) * j.ForgetGate).Abs().Max().Item();
            Assert.True(offDiagonal > 1e-3, $"through-h part {offDiagonal}");
            // …and the printed expression, read either way, is not the Jacobian.
            Assert.True((j.Printed! - j.Full).Abs().Max().Item() > 1e-3);
            Assert.True((j.PrintedWithRecurrentWeights - j.Full).Abs().Max().Item() > 1e-3);
        }
    }

    [Fact]
    public void ForgetGateIsTheJacobianWhenHPrevIsHeldFixed()
    {
        // With U = 0 the gates do not see h_{t−1}, so ∂c_t/∂c_{t−1} = diag(f_t) exactly.
        var g = new Generator(12);
        var lstm = new Lstm(3, H, dtype: DType.Float64, generator: g);
        using (Autograd.NoGrad()) lstm.NamedParameters().Single(p => p.Key == "weight_hh_l0").Value.Zero_();
        var j = GradientFlow.CellJacobian(lstm, Tensor.Randn([T, B, 3], g, DType.Float64), step: 2);
        Assert.Null(j.Printed);                                                   // input 3 ≠ H 4: W_c is not square
        Assert.Equal((Tensor.Eye(H, DType.Float64) * j.ForgetGate).ToArray(), j.Full.ToArray(), Close);
    }

    [Fact]
    public void GradientNormsMatchTheFusedBackward()
    {
        var g = new Generator(13);
        var lstm = new Lstm(3, H, 2, batchFirst: true, dtype: DType.Float64, generator: g);
        var x = Tensor.Randn([B, T, 3], g, DType.Float64);
        var w = Tensor.Randn([B, H], g, DType.Float64);
        Tensor Loss(Tensor output) => (output.Select(1, T - 1) * w).Sum();       // reads the last step only

        var norms = GradientFlow.Measure(lstm, x, Loss);
        var stepGrads = lstm.Parameters().Select(p => p.Grad!.ToArray()).ToArray();
        lstm.ZeroGrad();
        var fusedLoss = Loss(lstm.Forward(x));
        fusedLoss.Backward();
        Assert.Equal(fusedLoss.Item(), norms.Loss, 12);
        foreach (var (p, k) in lstm.Parameters().Select((p, k) => (p, k)))
            Assert.Equal(p.Grad!.ToArray(), stepGrads[k], (a, b) => Math.Abs(a - b) < 1e-12);
        // ∂L/∂h_T = w, so its norm is ‖w‖; every earlier step gets gradient only through the recurrence.
        Assert.Equal(Math.Sqrt((w * w).Sum().Item()), norms.HiddenGradNorms[T - 1], 12);
        Assert.All(norms.CellGradNorms!, n => Assert.True(n > 0));
        Assert.Equal(T, norms.CellGradNorms!.Length);
    }

    [Fact]
    public void TruncatedBpttCutsGradientsOlderThanK()
    {
        var g = new Generator(14);
        var lstm = new Lstm(2, H, dtype: DType.Float64, generator: g);
        var x = Tensor.Randn([T, B, 2], g, DType.Float64, requiresGrad: true);
        Tensor? LastStepLoss(Tensor window, int start) => start + window.Shape[0] == T ? window.Select(0, window.Shape[0] - 1).Sum() : null;

        // k = T is full BPTT: the same input gradient as one Backward.
        TruncatedBptt.Backward(lstm, x, T, LastStepLoss);
        var truncatedAtT = x.Grad!.ToArray();
        x.Grad = null;
        lstm.Forward(x).Select(0, T - 1).Sum().Backward();
        Assert.Equal(x.Grad!.ToArray(), truncatedAtT, (a, b) => Math.Abs(a - b) < 1e-12);

        // k = 2: the loss at the last step sees only the last window, steps 4 and 5.
        x.Grad = null;
        var (loss, state) = TruncatedBptt.Backward(lstm, x, 2, LastStepLoss);
        Assert.False(state.H.RequiresGrad);
        var grad = x.Grad!;
        for (int t = 0; t < T; t++)
        {
            double norm = grad.Select(0, t).Abs().Sum().Item();
            if (t < T - 2) Assert.Equal(0.0, norm);
            else Assert.True(norm > 0, $"step {t}");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => TruncatedBptt.Backward(lstm, x, 0, LastStepLoss));
    }
}
