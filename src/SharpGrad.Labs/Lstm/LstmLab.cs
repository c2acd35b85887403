using System.Globalization;
using SharpGrad.Data;
using SharpGrad.Labs.Plots;
using SharpGrad.Labs.Report;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Labs.Lstm;

// Inside the namespace, so that "Lstm" names the module rather than this folder's namespace.
using Lstm = SharpGrad.Nn.Lstm;

/// <summary>
/// Lab 8, "LSTM": does ∂c_t/∂c_{t−1} vanish? The gradient norms ‖∂L/∂h_t‖ and ‖∂L/∂c_t‖ over 120 steps for a tanh RNN and
/// for LSTMs, the Jacobian ∂c_t/∂c_{t−1} by autodiff against the assignment's printed expression, and the adding problem
/// (Arjovsky et al. 2016) at several lengths, LSTM against RNN.
/// </summary>
public sealed class LstmLab : ILab
{
    static readonly LabText Text = LabText.For<LstmLab>();

    const int Hidden = 32;

    /// <inheritdoc/>
    public string Name => "lstm";

    /// <inheritdoc/>
    public IReadOnlyList<LabOption> Options { get; } =
    [
        new("flow_steps", LabOptionKind.Integer, "training steps of the gradient-flow figure (default 120)"),
        new("steps", LabOptionKind.Integer, "Adam steps per adding-problem run (default 1200)"),
        new("lengths", LabOptionKind.IntegerList, "adding-problem sequence lengths (default 10,25,50)"),
    ];

    /// <inheritdoc/>
    public string Title => Text.Title;

    /// <inheritdoc/>
    public string Question => Text.Question;

    /// <inheritdoc/>
    public int Order => 8;

    /// <summary>
    /// Options: <c>flow_steps</c> (sequence length of the gradient-norm runs, default 120), <c>lengths</c> (adding-problem
    /// lengths, comma-separated, default 10,25,50) and <c>steps</c> (Adam steps per adding-problem model, default 1200: at T = 50 the LSTM leaves the 1/6 plateau after 600 to 1200).
    /// </summary>
    public LabResult Run(LabContext context)
    {
        var result = new LabResult(Name);
        context.Report("gradient norms through time", 0.02);
        GradientFlowThroughTime(result, context);
        context.Report("the printed derivative", 0.15);
        PrintedDerivative(result, context);
        AddingProblemTable(result, context);
        return result;
    }

    /// <summary>An adding-problem regressor: a recurrent layer, then a Linear head on the last hidden state.</summary>
    sealed class Regressor : Module
    {
        public Regressor(Module recurrent, Linear head)
        {
            Recurrent = RegisterModule("recurrent", recurrent);
            Head = RegisterModule("head", head);
        }

        public Module Recurrent { get; }
        public Linear Head { get; }

        public override Tensor Forward(Tensor input) => Head.Forward(Recurrent.Forward(input).Select(0, input.Shape[0] - 1));
    }

    static Regressor MakeLstm(Generator g, double forgetBias = 0, DType dtype = DType.Float32)
    {
        var lstm = new Lstm(2, Hidden, dtype: dtype, generator: g);
        if (forgetBias != 0)
            using (Autograd.NoGrad())
            {
                // bias_ih rows H … 2H are the forget gate's (gates stacked i, f, g, o).
                var b = lstm.NamedParameters().Single(p => p.Key == "bias_ih_l0").Value;
                b.Slice(0, Hidden, 2 * Hidden).Add_(Tensor.Full([Hidden], forgetBias, dtype));
            }
        return new Regressor(lstm, new Linear(Hidden, 1, dtype: dtype, generator: g));
    }

    static Regressor MakeRnn(Generator g, DType dtype = DType.Float32) =>
        new(new Nn.Rnn(2, Hidden, dtype: dtype, generator: g), new Linear(Hidden, 1, dtype: dtype, generator: g));

    static void GradientFlowThroughTime(LabResult result, LabContext context)
    {
        int steps = context.GetOption("flow_steps", 120), batch = 16;
        var (x, y) = AddingProblem.Batch(batch, steps, new Generator((ulong)context.Seed), dtype: DType.Float64);
        // Float64: over 120 steps the norms fall below float32's range.
        var rnn = MakeRnn(new Generator((ulong)context.Seed + 1), DType.Float64);
        var lstm = MakeLstm(new Generator((ulong)context.Seed + 2), dtype: DType.Float64);
        var lstmBiased = MakeLstm(new Generator((ulong)context.Seed + 2), forgetBias: 3, dtype: DType.Float64);
        Func<Tensor, Tensor> Loss(Regressor m) => output => F.MseLoss(m.Head.Forward(output.Select(0, steps - 1)), y);
        var rnnNorms = GradientFlow.Measure((Nn.Rnn)rnn.Recurrent, x, Loss(rnn));
        var lstmNorms = GradientFlow.Measure((Lstm)lstm.Recurrent, x, Loss(lstm));
        var biasedNorms = GradientFlow.Measure((Lstm)lstmBiased.Recurrent, x, Loss(lstmBiased));

        double Ratio(double[] norms) => norms[0] / norms[^1];                           // ‖∂L/∂·_1‖ / ‖∂L/∂·_T‖
        double MeanForget(Regressor m) => MeanForgetGate((Lstm)m.Recurrent, x);
        result.Value("flow_steps", steps);
        result.Value("rnn_dL_dh_norms", rnnNorms.HiddenGradNorms);
        result.Value("lstm_dL_dh_norms", lstmNorms.HiddenGradNorms);
        result.Value("lstm_dL_dc_norms", lstmNorms.CellGradNorms);
        result.Value("lstm_forget_bias3_dL_dc_norms", biasedNorms.CellGradNorms);
        double fDefault = MeanForget(lstm), fBiased = MeanForget(lstmBiased);
        result.Value("lstm_mean_forget_gate", fDefault);
        result.Value("lstm_forget_bias3_mean_forget_gate", fBiased);

        var t = Enumerable.Range(1, steps).Select(k => (double)k).ToArray();
        result.Figure("Gradient norms through time (untrained networks, adding-problem inputs, loss on the last step)",
            Chart.Line($"‖∂L/∂state_t‖ over {steps} steps", "step t", "norm (log scale)", [
                new Series("tanh RNN ‖∂L/∂h_t‖", t, rnnNorms.HiddenGradNorms),
                new Series("LSTM ‖∂L/∂h_t‖", t, lstmNorms.HiddenGradNorms),
                new Series("LSTM ‖∂L/∂c_t‖", t, lstmNorms.CellGradNorms!),
                new Series("LSTM, forget bias +3: ‖∂L/∂c_t‖", t, biasedNorms.CellGradNorms!),
            ], logY: true),
            Text.Fill("caption gradient-norms"));

        var table = result.Table("How much gradient reaches step 1", "network", "state", "‖∂L/∂·_1‖ / ‖∂L/∂·_T‖", "mean forget gate f", $"f^{steps - 1}");
        table.AddRow("tanh RNN", "h", Ratio(rnnNorms.HiddenGradNorms), "", "");
        table.AddRow("LSTM (PyTorch init)", "c", Ratio(lstmNorms.CellGradNorms!), fDefault, Math.Pow(fDefault, steps - 1));
        table.AddRow("LSTM, forget-gate bias +3", "c", Ratio(biasedNorms.CellGradNorms!), fBiased, Math.Pow(fBiased, steps - 1));

        double rnnRatio = Ratio(rnnNorms.HiddenGradNorms), lstmRatio = Ratio(lstmNorms.CellGradNorms!), biasedRatio = Ratio(biasedNorms.CellGradNorms!);
        result.Check("tanh RNN: the gradient vanishes through time", rnnRatio < 1e-10,
            $"‖∂L/∂h_1‖ / ‖∂L/∂h_{steps}‖ = {rnnRatio:E2}: each step multiplies by diag(1 − h²)·W_hh, whose norm is below 1 at PyTorch's init.");
        result.Check("LSTM at PyTorch's init: the cell gradient vanishes too", lstmRatio < 1e-10,
            $"ratio {lstmRatio:E2} with mean f = {fDefault:F3} (f^{steps - 1} = {Math.Pow(fDefault, steps - 1):E2}): with biases near 0, f " +
            $"≈ σ(0) = ½ and the cell path about halves the gradient every step (the terms through h_{{t−1}} add a little).");
        result.Check("LSTM with the forget gate open (bias +3): the cell gradient survives", biasedRatio > 1e3 * lstmRatio && biasedRatio > 1e-3,
            $"ratio {biasedRatio:E2} with mean f = {fBiased:F3}: ∂c_t/∂c_{{t−1}} ≈ diag(f_t) stays near the identity when f ≈ 1.");
        Text.Note(result, "forget-gate");
        Text.Differs(result, "does-not-vanish",
            ("f_default", fDefault), ("lstm_ratio", lstmRatio), ("steps", steps - 1), ("f_biased", fBiased), ("biased_ratio", biasedRatio));
    }

    /// <summary>The forget gate averaged over every step, sequence and unit of <paramref name="x"/>.</summary>
    static double MeanForgetGate(Lstm lstm, Tensor x)
    {
        using (Autograd.NoGrad())
        {
            var cell = lstm.Cell(0);
            (Tensor H, Tensor C)? state = null;
            double sum = 0;
            for (int t = 0; t < x.Shape[0]; t++)
            {
                var s = cell.Step(x.Select(0, t), state);
                sum += s.F.Mean().Item();
                state = (s.H, s.C);
            }
            return sum / x.Shape[0];
        }
    }

    static void PrintedDerivative(LabResult result, LabContext context)
    {
        // Input size = hidden size, so the printed expression, which adds W_c (m × n) to diag(f) (m × m), is even defined.
        const int m = 6, steps = 8, step = 5;
        var g = new Generator((ulong)context.Seed + 3);
        var lstm = new Lstm(m, m, dtype: DType.Float64, generator: g);
        var x = Tensor.Randn([steps, 1, m], g, DType.Float64);
        var j = GradientFlow.CellJacobian(lstm, x, step);
        double Max(Tensor a, Tensor b) => (a - b).Abs().Max().Item();
        var diagF = Tensor.Eye(m, DType.Float64) * j.ForgetGate;
        double closed = Max(j.Full, j.FullClosedForm), printed = Max(j.Full, j.Printed!), printedU = Max(j.Full, j.PrintedWithRecurrentWeights),
            diagOnly = Max(j.Full, diagF);
        result.Value("dc_t_dc_prev_autodiff", j.Full.ToArray2D());
        result.Value("dc_t_dc_prev_closed_form", j.FullClosedForm.ToArray2D());
        result.Value("dc_t_dc_prev_printed", j.Printed!.ToArray2D());
        result.Value("dc_t_dc_prev_printed_with_U", j.PrintedWithRecurrentWeights.ToArray2D());
        result.Value("forget_gate", j.ForgetGate.ToArray());

        result.Check("The chain rule written out equals autodiff", closed < 1e-12,
            $"max |autodiff − closed form| = {closed:E2} for m = n = {m} at step {step}: ∂c_t/∂c_{{t−1}} = diag(f_t) + [diag(c_{{t−1}} ⊙ " +
            $"σ'_f) U_f + " +
            "diag(c̃_t ⊙ σ'_i) U_i + diag(i_t ⊙ tanh'_c) U_c]·diag(o_{t−1} ⊙ (1 − tanh² c_{t−1})).");
        result.Check("The printed derivative is not ∂c_t/∂c_{t−1}", printed > 1e-3 && printedU > 1e-3,
            $"max |autodiff − printed| = {printed:G3} as printed (W_c, W_i), {printedU:G3} with U_c, U_i in their place; diag(f_t) alone is " +
            $"off by {diagOnly:G3}.");
        var table = result.Table($"∂c_t/∂c_(t−1) at step {step} (m = n = {m}, float64): distance from autodiff", "expression", "max |entry − autodiff|");
        table.AddRow("chain rule, written out", closed);
        table.AddRow("printed: f_t + i_t·tanh'(·)·W_c + c̃_t·σ'(·)·W_i", printed);
        table.AddRow("printed, U in place of W", printedU);
        table.AddRow("diagonal part diag(f_t) only", diagOnly);
        result.Figure("∂c_t/∂c_(t−1) by autodiff", Chart.Heatmap("autodiff", j.Full.ToArray2D(), "∂c_t[i]/∂c_(t−1)[j]", "j", "i"));
        result.Figure("The printed expression", Chart.Heatmap("printed (W_c, W_i)", j.Printed!.ToArray2D(), "value", "j", "i"));
        Text.Differs(result, "expansion", ("printed_error", printed));
        Text.Notation(result, "candidate-weights");
    }

    static void AddingProblemTable(LabResult result, LabContext context)
    {
        int budget = context.GetOption("steps", 1200);
        var lengths = context.Options.TryGetValue("lengths", out var s)
            ? s.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray()
            : [10, 25, 50];
        var table = result.Table($"Adding problem: held-out MSE after {budget} Adam steps (hidden {Hidden}, batch 32, lr 0.01; LSTM forget-gate bias +1 " +
            "as Jozefowicz et al. 2015 advise); always predicting 1 scores 1/6",
            "T", "LSTM", "tanh RNN", "baseline 1/6");
        var values = new Dictionary<string, object>();
        double done = 0, total = lengths.Length * 2;
        foreach (int T in lengths)
        {
            context.Report($"adding problem T = {T}, LSTM", 0.2 + 0.8 * done++ / total);
            double lstm = TrainAdding(MakeLstm(new Generator((ulong)context.Seed + 10), forgetBias: 1), T, budget, context.Seed);
            context.Report($"adding problem T = {T}, RNN", 0.2 + 0.8 * done++ / total);
            double rnn = TrainAdding(MakeRnn(new Generator((ulong)context.Seed + 10)), T, budget, context.Seed);
            table.AddRow(T, lstm, rnn, AddingProblem.BaselineMse);
            values[T.ToString(CultureInfo.InvariantCulture)] = new { lstm, rnn };
            result.Check($"Adding problem T = {T}: the LSTM beats the 1/6 baseline at least fivefold", lstm < AddingProblem.BaselineMse / 5,
                $"LSTM held-out MSE {lstm:G3}, tanh RNN {rnn:G3}, baseline {AddingProblem.BaselineMse:G3} (Arjovsky et al. 2016: the LSTM " +
                $"beats it up to T = 400).");
        }
        result.Value("adding_problem", values);
        result.Value("adding_problem_steps", budget);
    }

    /// <summary>Trains on fresh batches for <paramref name="budget"/> Adam steps; returns the MSE on 500 held-out sequences.</summary>
    static double TrainAdding(Regressor model, int length, int budget, int seed)
    {
        var data = new Generator((ulong)seed + 20);
        var opt = new Adam(model.Parameters(), lr: 0.01);
        for (int step = 0; step < budget; step++)
        {
            using var scope = TensorScope.Begin();
            var (x, y) = AddingProblem.Batch(32, length, data);
            var loss = F.MseLoss(model.Forward(x), y);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
        }
        var (xTest, yTest) = AddingProblem.Batch(500, length, new Generator((ulong)seed + 30));
        using (Autograd.NoGrad()) return F.MseLoss(model.Forward(xTest), yTest).Item();
    }
}
