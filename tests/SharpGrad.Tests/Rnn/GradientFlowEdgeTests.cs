using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Rnn;

/// <summary>
/// The gradient-flow instruments and truncated BPTT at their edges (issue 23, mutation testing of Nn): argument
/// ranges, windows that do not divide the sequence, windows without a loss, the RNN overloads and the layer chosen
/// for measuring. Expected values come from the same model run in one piece (the reference computation) or by hand.
/// </summary>
public class GradientFlowEdgeTests
{
    const int T = 5, B = 2, H = 3;

    [Fact]
    public void CellJacobian_refuses_steps_layers_and_batch_indices_out_of_range()
    {
        var lstm = new Lstm(H, H, 2, dtype: DType.Float64, generator: new Generator(1));
        var x = Tensor.Randn([T, B, H], new Generator(2), DType.Float64);
        Assert.Equal(new[] { H, H }, GradientFlow.CellJacobian(lstm, x, step: 1).Full.Shape);
        Assert.Equal(new[] { H, H }, GradientFlow.CellJacobian(lstm, x, step: T - 1, batchIndex: B - 1, layer: 1).Full.Shape);
        Assert.Contains("step must be in 1 … 4 (the input has 5 steps), got 0", Assert.Throws<ArgumentOutOfRangeException>(() => GradientFlow.CellJacobian(lstm, x, step: 0)).Message);
        Assert.Contains("got 5", Assert.Throws<ArgumentOutOfRangeException>(() => GradientFlow.CellJacobian(lstm, x, step: T)).Message);
        Assert.Contains("layer -1 of 2", Assert.Throws<ArgumentOutOfRangeException>(() => GradientFlow.CellJacobian(lstm, x, step: 1, layer: -1)).Message);
        Assert.Contains("layer 2 of 2", Assert.Throws<ArgumentOutOfRangeException>(() => GradientFlow.CellJacobian(lstm, x, step: 1, layer: 2)).Message);
        Assert.Contains("batch index -1 of 2", Assert.Throws<ArgumentOutOfRangeException>(() => GradientFlow.CellJacobian(lstm, x, step: 1, batchIndex: -1)).Message);
        Assert.Contains("batch index 2 of 2", Assert.Throws<ArgumentOutOfRangeException>(() => GradientFlow.CellJacobian(lstm, x, step: 1, batchIndex: B)).Message);
        Assert.Contains("CellJacobian: input must be [T, B, 3], got [5, 2, 4]",
            Assert.Throws<ArgumentException>(() => GradientFlow.CellJacobian(lstm, Tensor.Zeros([T, B, 4], DType.Float64), step: 1)).Message);
    }

    [Fact]
    public void CellJacobian_names_itself_for_layers_out_of_range()
    {
        // Lstm.Cell would refuse layer 2 of 2 as well; the instrument checks first and says so.
        var lstm = new Lstm(H, H, 2, dtype: DType.Float64, generator: new Generator(1));
        var x = Tensor.Randn([T, B, H], new Generator(2), DType.Float64);
        foreach (int layer in new[] { -1, 2 })
            Assert.StartsWith($"CellJacobian: layer {layer} of 2",
                Assert.Throws<ArgumentOutOfRangeException>(() => GradientFlow.CellJacobian(lstm, x, step: 1, layer: layer)).Message);
    }

    [Fact]
    public void CellJacobian_of_layer_1_is_that_of_a_one_layer_lstm_fed_layer_0s_outputs()
    {
        // The reference: two one-layer LSTMs holding the stacked one's weights, the second run on the first one's outputs.
        var lstm = new Lstm(H, H, 2, dtype: DType.Float64, generator: new Generator(17));
        var (bottom, top) = (new Lstm(H, H, dtype: DType.Float64), new Lstm(H, H, dtype: DType.Float64));
        var weights = lstm.StateDict();
        bottom.LoadStateDict(weights.Where(p => p.Key.EndsWith("_l0", StringComparison.Ordinal)).ToDictionary());
        top.LoadStateDict(weights.Where(p => p.Key.EndsWith("_l1", StringComparison.Ordinal)).ToDictionary(p => p.Key[..^1] + "0", p => p.Value));
        var x = Tensor.Randn([T, B, H], new Generator(18), DType.Float64);
        Tensor below;
        using (Autograd.NoGrad()) below = bottom.Forward(x);
        var stacked = GradientFlow.CellJacobian(lstm, x, step: 3, batchIndex: 1, layer: 1);
        var alone = GradientFlow.CellJacobian(top, below, step: 3, batchIndex: 1);
        Assert.Equal(alone.Full.ToArray(), stacked.Full.ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
        Assert.Equal(alone.ForgetGate.ToArray(), stacked.ForgetGate.ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
    }

    [Fact]
    public void CellJacobian_reads_the_gates_of_the_step_asked_and_writes_the_printed_forms_out()
    {
        // The reference gates: the cell stepped by hand over sequence 1 up to step 2, then step 2 itself.
        const int step = 2, n = 1;
        var lstm = new Lstm(H, H, dtype: DType.Float64, generator: new Generator(19));
        var x = Tensor.Randn([T, B, H], new Generator(20), DType.Float64);
        var cell = lstm.Cell(0);
        LstmStep at;
        using (Autograd.NoGrad())
        {
            (Tensor H, Tensor C)? state = null;
            for (int t = 0; t < step; t++)
            {
                var s = cell.Step(x.Select(0, t).Slice(0, n, n + 1), state);
                state = (s.H, s.C);
            }
            at = cell.Step(x.Select(0, step).Slice(0, n, n + 1), state);
        }
        var jacobian = GradientFlow.CellJacobian(lstm, x, step, batchIndex: n);
        var (i, f, g) = (at.I.ToArray(), at.F.ToArray(), at.G.ToArray());
        Assert.Equal(f, jacobian.ForgetGate.ToArray(), (u, v) => Math.Abs(u - v) < 1e-14);
        // The printed expression, entry (r, c): f_r·[r = c] + i_r(1 − c̃_r²)·W_c[r, c] + c̃_r·i_r(1 − i_r)·W_i[r, c], with the gate
        // blocks of W (rows 0..H−1 input gate, 2H..3H−1 cell candidate); once with the input weights, once with the recurrent ones.
        double[] Printed(Tensor w)
        {
            var ws = w.ToArray();
            var result = new double[H * H];
            for (int r = 0; r < H; r++)
                for (int c = 0; c < H; c++)
                    result[r * H + c] = (r == c ? f[r] : 0) + i[r] * (1 - g[r] * g[r]) * ws[(2 * H + r) * H + c] + g[r] * i[r] * (1 - i[r]) * ws[r * H + c];
            return result;
        }
        Assert.Equal(Printed(cell.WeightHh), jacobian.PrintedWithRecurrentWeights.ToArray(), (u, v) => Math.Abs(u - v) < 1e-14);
        Assert.Equal(Printed(cell.WeightIh), jacobian.Printed!.ToArray(), (u, v) => Math.Abs(u - v) < 1e-14);
    }

    [Fact]
    public void Measure_names_itself_and_reports_zero_for_states_the_loss_does_not_reach()
    {
        var lstm = new Lstm(2, H, dtype: DType.Float64, generator: new Generator(21));
        var rnn = new SharpGrad.Nn.Rnn(2, H, dtype: DType.Float64, generator: new Generator(22));
        var wrong = Tensor.Zeros([T, B, 3], DType.Float64);
        Assert.StartsWith("GradientFlow: input must be [T, B, 2], got [5, 2, 3]", Assert.Throws<ArgumentException>(() => GradientFlow.Measure(lstm, wrong, o => o.Sum())).Message);
        Assert.StartsWith("GradientFlow: input must be [T, B, 2], got [5, 2, 3]", Assert.Throws<ArgumentException>(() => GradientFlow.Measure(rnn, wrong, o => o.Sum())).Message);
        // A loss of the weights alone leaves every state without a gradient: each norm is 0, not an error.
        var x = Tensor.Randn([T, B, 2], new Generator(23), DType.Float64);
        var unreached = GradientFlow.Measure(lstm, x, _ => (lstm.Cell(0).WeightIh * lstm.Cell(0).WeightIh).Sum());
        Assert.Equal(new double[T], unreached.HiddenGradNorms);
        Assert.Equal(new double[T], unreached.CellGradNorms);
    }

    [Fact]
    public void Measure_of_a_batch_first_rnn_hands_the_loss_a_batch_first_output()
    {
        // The loss multiplies by w [B, T, H]: a time-major output [T, B, H] would not broadcast against it.
        var rnn = new SharpGrad.Nn.Rnn(2, H, batchFirst: true, dtype: DType.Float64, generator: new Generator(24));
        var x = Tensor.Randn([B, T, 2], new Generator(25), DType.Float64);
        var w = Tensor.Randn([B, T, H], new Generator(26), DType.Float64);
        var measured = GradientFlow.Measure(rnn, x, o => (o * w).Sum());
        Assert.Equal((rnn.Forward(x) * w).Sum().Item(), measured.Loss, 12);
        // ∂L/∂h_T = w[:, T−1]: its norm is the last one.
        Assert.Equal(Math.Sqrt((w.Select(1, T - 1) * w.Select(1, T - 1)).Sum().Item()), measured.HiddenGradNorms[T - 1], 12);
    }

    [Fact]
    public void CellJacobian_of_a_batch_first_input_equals_that_of_the_time_major_one()
    {
        var lstm = new Lstm(H, H, dtype: DType.Float64, generator: new Generator(3));
        var batchFirst = new Lstm(H, H, batchFirst: true, dtype: DType.Float64, generator: new Generator(3));
        var x = Tensor.Randn([T, B, H], new Generator(4), DType.Float64);
        var a = GradientFlow.CellJacobian(lstm, x, step: 2, batchIndex: 1);
        var b = GradientFlow.CellJacobian(batchFirst, x.Transpose(0, 1).Contiguous(), step: 2, batchIndex: 1);
        Assert.Equal(a.Full.ToArray(), b.Full.ToArray());
        Assert.Equal(a.ForgetGate.ToArray(), b.ForgetGate.ToArray());
    }

    [Fact]
    public void Measure_of_an_rnn_matches_its_one_piece_backward_at_the_chosen_layer()
    {
        var rnn = new SharpGrad.Nn.Rnn(2, H, numLayers: 2, dtype: DType.Float64, generator: new Generator(5));
        var x = Tensor.Randn([T, B, 2], new Generator(6), DType.Float64);
        var w = Tensor.Randn([B, H], new Generator(7), DType.Float64);
        Tensor Loss(Tensor output) => (output.Select(0, T - 1) * w).Sum();
        // Layer 1 (the last, the default): ∂L/∂h_T = w, so the last norm is ‖w‖.
        var last = GradientFlow.Measure(rnn, x, Loss);
        Assert.Null(last.CellGradNorms);
        Assert.Equal(T, last.HiddenGradNorms.Length);
        Assert.Equal(Math.Sqrt((w * w).Sum().Item()), last.HiddenGradNorms[T - 1], 12);
        var stepGrads = rnn.Parameters().Select(p => p.Grad!.ToArray()).ToArray();
        rnn.ZeroGrad();
        var reference = Loss(rnn.Forward(x));
        reference.Backward();
        Assert.Equal(reference.Item(), last.Loss, 12);
        foreach (var (p, k) in rnn.Parameters().Select((p, k) => (p, k)))
            Assert.Equal(p.Grad!.ToArray(), stepGrads[k], (u, v) => Math.Abs(u - v) < 1e-12);
        // Layer 0 reaches the loss only through layer 1, so its last norm differs from ‖w‖; explicit −1 is the last layer.
        rnn.ZeroGrad();
        var first = GradientFlow.Measure(rnn, x, Loss, layer: 0);
        Assert.NotEqual(last.HiddenGradNorms[T - 1], first.HiddenGradNorms[T - 1], 6);
        Assert.All(first.HiddenGradNorms, n => Assert.True(n > 0));
        rnn.ZeroGrad();
        Assert.Equal(last.HiddenGradNorms, GradientFlow.Measure(rnn, x, Loss, layer: -1).HiddenGradNorms);
    }

    [Fact]
    public void Measure_of_an_lstm_reports_the_chosen_layer()
    {
        var lstm = new Lstm(2, H, 2, dtype: DType.Float64, generator: new Generator(8));
        var x = Tensor.Randn([T, B, 2], new Generator(9), DType.Float64);
        var w = Tensor.Randn([B, H], new Generator(10), DType.Float64);
        Tensor Loss(Tensor output) => (output.Select(0, T - 1) * w).Sum();
        var top = GradientFlow.Measure(lstm, x, Loss);
        Assert.Equal(Math.Sqrt((w * w).Sum().Item()), top.HiddenGradNorms[T - 1], 12);
        lstm.ZeroGrad();
        var bottom = GradientFlow.Measure(lstm, x, Loss, layer: 0);
        Assert.Equal(T, bottom.CellGradNorms!.Length);
        Assert.NotEqual(top.HiddenGradNorms[T - 1], bottom.HiddenGradNorms[T - 1], 6);
        Assert.Equal(top.Loss, bottom.Loss, 12);
    }

    [Fact]
    public void Windows_cover_the_sequence_with_a_short_last_one_and_sum_the_losses()
    {
        // T = 5, k = 2: windows start at 0, 2, 4 with lengths 2, 2, 1; each loss is the window's output sum.
        var lstm = new Lstm(2, H, dtype: DType.Float64, generator: new Generator(11));
        var x = Tensor.Randn([T, B, 2], new Generator(12), DType.Float64);
        var seen = new List<(int start, int length)>();
        Tensor? Sum(Tensor window, int start)
        {
            seen.Add((start, window.Shape[0]));
            return window.Sum();
        }
        var (loss, state) = TruncatedBptt.Backward(lstm, x, 2, Sum);
        Assert.Equal(new[] { (0, 2), (2, 2), (4, 1) }, seen);
        // The forward values do not depend on the cuts: the sum equals the one-piece output's sum, and the final state its h_n.
        var whole = lstm.Forward(x, null);
        Assert.Equal(whole.Output.Sum().Item(), loss, 12);
        Assert.Equal(whole.H.ToArray(), state.H.ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
        Assert.Equal(whole.C.ToArray(), state.C.ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
        // A window without a loss adds nothing; a loss that is not a scalar is refused; so is an input that is not rank 3.
        var (none, _) = TruncatedBptt.Backward(lstm, x, 2, (_, _) => null);
        Assert.Equal(0.0, none);
        Assert.Contains("a window's loss must be a scalar, got shape [2, 2, 3]",
            Assert.Throws<ArgumentException>(() => TruncatedBptt.Backward(lstm, x, 2, (o, _) => o)).Message);
        Assert.StartsWith("TruncatedBptt: input must be rank 3, got [5, 2]", Assert.Throws<ArgumentException>(() => TruncatedBptt.Backward(lstm, Tensor.Zeros([T, 2], DType.Float64), 2, Sum)).Message);
        Assert.Contains("window length k must be at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => TruncatedBptt.Backward(lstm, x, 0, Sum)).Message);
    }

    [Fact]
    public void The_rnn_overload_cuts_batch_first_sequences_along_dim_1()
    {
        var gru = new Gru(2, H, batchFirst: true, dtype: DType.Float64, generator: new Generator(13));
        var x = Tensor.Randn([B, T, 2], new Generator(14), DType.Float64);
        var lengths = new List<int>();
        var (loss, state) = TruncatedBptt.Backward(gru.Forward, true, x, 3, (o, _) => { lengths.Add(o.Shape[1]); return o.Sum(); });
        Assert.Equal(new[] { 3, 2 }, lengths);
        Assert.StartsWith("TruncatedBptt: input must be rank 3", Assert.Throws<ArgumentException>(() =>
            TruncatedBptt.Backward(gru.Forward, true, Tensor.Zeros([B, 2], DType.Float64), 3, (o, _) => o.Sum())).Message);
        // k = 1, the shortest window: one window per step.
        lengths.Clear();
        TruncatedBptt.Backward(gru.Forward, true, x, 1, (o, _) => { lengths.Add(o.Shape[1]); return o.Sum(); });
        Assert.Equal(Enumerable.Repeat(1, T), lengths);
        var whole = gru.Forward(x, null);
        Assert.Equal(whole.Output.Sum().Item(), loss, 12);
        Assert.Equal(whole.H.ToArray(), state.ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
        Assert.False(state.RequiresGrad);
    }

    [Fact]
    public void TrainStep_zeroes_the_gradients_steps_once_and_returns_the_summed_loss()
    {
        // SGD with lr 1 and no momentum: θ' = θ − g, where g is the gradient of this step alone (stale gradients were zeroed).
        var lstm = new Lstm(2, H, dtype: DType.Float64, generator: new Generator(15));
        var x = Tensor.Randn([4, B, 2], new Generator(16), DType.Float64);
        foreach (var p in lstm.Parameters()) p.Grad = Tensor.Full([.. p.Shape], 100, DType.Float64);
        var before = lstm.Parameters().Select(p => p.ToArray()).ToArray();
        Tensor? Loss(Tensor o, int _) => o.Sum();
        var reference = new Lstm(2, H, dtype: DType.Float64, generator: new Generator(15));
        var (expectedLoss, _) = TruncatedBptt.Backward(reference, x, 2, Loss);
        double loss = TruncatedBptt.TrainStep(lstm, new Sgd(lstm.Parameters(), lr: 1), x, 2, Loss);
        Assert.Equal(expectedLoss, loss, 12);
        foreach (var (p, k) in lstm.Parameters().Select((p, k) => (p, k)))
        {
            var g = reference.Parameters().ElementAt(k).Grad!.ToArray();
            Assert.Equal(before[k].Zip(g, (t, d) => t - d).ToArray(), p.ToArray(), (u, v) => Math.Abs(u - v) < 1e-12);
        }
    }
}
