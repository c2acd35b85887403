using System.Globalization;
using SharpGrad.Labs.Numerics;
using SharpGrad.Labs.Report;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Labs.Hamming;

/// <summary>
/// Lab 1, "Design a Neural Network": step neurons that output the Hamming(7,4) parity bits
/// P1 = d2⊕d3⊕d4, P2 = d1⊕d3⊕d4, P3 = d1⊕d2⊕d4 — the assignment's 12-hidden-neuron design completed and
/// corrected, a 9-neuron design with the proof that each output needs 3, the exact minimum of a shared hidden layer
/// (5, with an exhaustive proof that 4 cannot work), a shared design found by training, and a 7-bit decoder that
/// corrects any single-bit error.
/// </summary>
public sealed class HammingLab : ILab
{
    static readonly LabText Text = LabText.For<HammingLab>();

    /// <inheritdoc/>
    public string Name => "hamming";

    /// <inheritdoc/>
    public IReadOnlyList<LabOption> Options { get; } =
    [
        new("hamming.restarts", LabOptionKind.Integer, "random restarts of the gradient search (default 8)"),
        new("hamming.steps", LabOptionKind.Integer, "steps per restart (default 1200)"),
    ];

    /// <inheritdoc/>
    public string Title => Text.Title;

    /// <inheritdoc/>
    public string Question => Text.Question;

    /// <inheritdoc/>
    public int Order => 1;

    /// <summary>The variables each parity bit covers (0-based: d1 = 0): P1 = d2⊕d3⊕d4, P2 = d1⊕d3⊕d4, P3 = d1⊕d2⊕d4.</summary>
    static readonly int[][] Covers = [[1, 2, 3], [0, 2, 3], [0, 1, 3]];

    static readonly string[] DataBits = ["d1", "d2", "d3", "d4"];
    static readonly string[] ParityBits = ["P1", "P2", "P3"];

    /// <summary>All 16 inputs, d1 the most significant bit.</summary>
    static int[][] AllInputs() => Enumerable.Range(0, 16).Select(i => Enumerable.Range(0, 4).Select(j => ThresholdFunctions.Bit(i, j, 4)).ToArray()).ToArray();

    static int[] Parity(int[] d) => Covers.Select(c => c.Aggregate(0, (p, j) => p ^ d[j])).ToArray();

    /// <inheritdoc/>
    public LabResult Run(LabContext context)
    {
        var result = new LabResult(Name);
        var inputs = AllInputs();
        var truth = inputs.Select(Parity).ToArray();
        var networks = new Dictionary<string, object>();

        context.Report("the assignment's 12-neuron design", 0.05);
        var printed = PrintedDesign(swapFirstAndThird: false);
        var corrected = PrintedDesign(swapFirstAndThird: true);
        int printedRight = CountCorrect(printed, inputs, truth);
        int correctedRight = CountCorrect(corrected, inputs, truth);
        // Wired as printed the outputs are (P3, P2, P1): wrong exactly where P1 ≠ P3, i.e. where d1 ≠ d3 — 8 of 16 inputs.
        result.Check("The assignment's W = [W1 W2 W3] completed as printed (W1 → P1) is wrong on exactly the 8 inputs with d1 ≠ d3", printedRight == 8,
            $"{printedRight}/16 inputs give the right (P1, P2, P3). The printed solution gives no biases and no output weights; with the ones that make each group of " +
            "4 hidden neurons detect the odd patterns of its 3 inputs (bias −2.5 for the all-ones detector, −0.5 for the single-one detectors; output = OR, bias −0.5), " +
            "the group W1 reads d1, d2, d4 (its d3 row is zero): it computes d1⊕d2⊕d4 = P3, and W3 reads d2, d3, d4: it computes P1.");
        result.Check("Completed 12-neuron design, W1 and W3 assigned to P3 and P1, is right on all 16 inputs", correctedRight == 16, $"{correctedRight}/16 correct");
        Text.Differs(result, "group-order", ("printed_wrong", 16 - printedRight));
        networks["assignment_as_printed"] = Rows(inputs, printed.Evaluate(inputs));
        networks["assignment_completed"] = Rows(inputs, corrected.Evaluate(inputs));
        result.Figure("The assignment's design, completed (12 hidden step neurons)", corrected.Draw("4 → 12 → 3 step network (assignment, completed)"),
            "Hidden group k detects the odd-weight patterns of its three inputs: one neuron for 111 (bias −2.5), three for a single 1 (bias −0.5); the output ORs them.");

        context.Report("9-neuron design and the lower bound", 0.2);
        var counting = CountingDesign();
        int countingRight = CountCorrect(counting, inputs, truth);
        result.Check("A 9-neuron design (3 per output: 'at least t of my 3 inputs are on', t = 1, 2, 3; output h1 − h2 + h3) is right on all 16 inputs",
            countingRight == 16, $"{countingRight}/16 correct");
        networks["counting_9"] = Rows(inputs, counting.Evaluate(inputs));
        result.Figure("9 hidden step neurons: three count thresholds per parity bit", counting.Draw("4 → 9 → 3 step network"));
        LowerBounds(result);

        context.Report("the exact minimum of a shared hidden layer", 0.3);
        var minimum = HammingMinimum.Settle(result, inputs, truth);
        if (minimum is not null)
        {
            networks["minimum_5"] = Rows(inputs, minimum.Evaluate(inputs));
            result.Figure("5 shared hidden step neurons, the minimum: majorities of three literals", minimum.Draw("4 → 5 → 3 step network (minimum)"),
                "Found by trying every set of 5 of the 16 majority-of-three-literal neurons; 4 neurons cannot work (exhaustive check on the face d1 = 0).");
        }

        context.Report("a shared hidden layer found by training", 0.35);
        var trained = TrainShared(result, context, inputs, truth, networks);
        if (trained is not null)
            result.Figure($"{trained.HiddenNeurons} shared hidden step neurons, found by backprop through a sigmoid surrogate and then thresholded",
                trained.Draw($"4 → {trained.HiddenNeurons} → 3 step network (trained)"));

        context.Report("single-error-correcting decoder", 0.85);
        var decoder = Decoder();
        int decoderRight = DecoderCases(decoder, out var decoderTable);
        result.Check("Decoder network corrects every single-bit error: 16 words × (no error + 7 single-bit errors) = 128 cases",
            decoderRight == 128, $"{decoderRight}/128 cases decode to the sent data bits");
        result.Value("decoder_cases_correct", decoderRight);
        result.Note(decoderTable);

        result.Value("networks", networks);
        var table = result.Table("All 16 inputs: parity bits from each network", ["d1 d2 d3 d4", "true P1 P2 P3", "printed 12", "completed 12", "counting 9", "trained shared", "minimum 5"]);
        var byName = networks.ToDictionary(kv => kv.Key, kv => (int[][])kv.Value);
        for (int i = 0; i < 16; i++)
            table.AddRow(string.Join(" ", inputs[i]), string.Join(" ", truth[i]),
                string.Join(" ", byName["assignment_as_printed"][i][4..]), string.Join(" ", byName["assignment_completed"][i][4..]),
                string.Join(" ", byName["counting_9"][i][4..]), byName.TryGetValue("trained_shared", out var t) ? string.Join(" ", t[i][4..]) : "—",
                byName.TryGetValue("minimum_5", out var f) ? string.Join(" ", f[i][4..]) : "—");
        return result;
    }

    /// <summary>
    /// The assignment's W = [W1 W2 W3] (rows d1..d4, a column per hidden neuron) with the biases and output layer it omits.
    /// Printed order: group 1 → P1, 2 → P2, 3 → P3; <paramref name="swapFirstAndThird"/> wires W1 to P3 and W3 to P1.
    /// </summary>
    internal static StepNetwork PrintedDesign(bool swapFirstAndThird)
    {
        double[][,] groups =
        [
            new double[,] { { 1, 1, -1, -1 }, { 1, -1, 1, -1 }, { 0, 0, 0, 0 }, { 1, -1, -1, 1 } },  // W1
            new double[,] { { 1, 1, -1, -1 }, { 0, 0, 0, 0 }, { 1, -1, 1, -1 }, { 1, -1, -1, 1 } },  // W2
            new double[,] { { 0, 0, 0, 0 }, { 1, 1, -1, -1 }, { 1, -1, 1, -1 }, { 1, -1, -1, 1 } },  // W3
        ];
        var hidden = new double[12, 4];
        var hiddenBias = new double[12];
        var output = new double[3, 12];
        for (int g = 0; g < 3; g++)
        {
            int outputBit = swapFirstAndThird ? 2 - g : g;
            for (int n = 0; n < 4; n++)
            {
                for (int i = 0; i < 4; i++) hidden[4 * g + n, i] = groups[g][i, n];
                hiddenBias[4 * g + n] = n == 0 ? -2.5 : -0.5;   // column 1 sums all three inputs: fire only at 111
                output[outputBit, 4 * g + n] = 1;
            }
        }
        return new StepNetwork([DataBits, Enumerable.Range(1, 12).Select(i => $"h{i}").ToArray(), ParityBits],
            [hidden, output], [hiddenBias, [-0.5, -0.5, -0.5]]);
    }

    /// <summary>Per output m: h_t = step(Σ_{i∈S_m} d_i − t + ½) for t = 1, 2, 3, and P_m = step(h₁ − h₂ + h₃ − ½): odd counts are 1 and 3.</summary>
    internal static StepNetwork CountingDesign()
    {
        var hidden = new double[9, 4];
        var hiddenBias = new double[9];
        var output = new double[3, 9];
        for (int m = 0; m < 3; m++)
            for (int t = 1; t <= 3; t++)
            {
                int h = 3 * m + t - 1;
                foreach (int i in Covers[m]) hidden[h, i] = 1;
                hiddenBias[h] = -t + 0.5;
                output[m, h] = t % 2 == 1 ? 1 : -1;
            }
        return new StepNetwork([DataBits, Enumerable.Range(1, 9).Select(i => $"c{i}").ToArray(), ParityBits],
            [hidden, output], [hiddenBias, [-0.5, -0.5, -0.5]]);
    }

    /// <summary>Why fewer neurons cannot work: exhaustive checks over every function a step neuron can compute.</summary>
    static void LowerBounds(LabResult result)
    {
        var t2 = ThresholdFunctions.Enumerate(2);
        var t3 = ThresholdFunctions.Enumerate(3);
        var t4 = ThresholdFunctions.Enumerate(4);
        result.Check("Enumerated step-neuron functions match the known counts (OEIS A000609: 14, 104, 1882 for 2, 3, 4 inputs)",
            t2.Count == 14 && t3.Count == 104 && t4.Count == 1882, $"{t2.Count}, {t3.Count}, {t4.Count}");

        int parity3 = 0;
        for (int input = 0; input < 8; input++)
            if ((ThresholdFunctions.Bit(input, 0, 3) ^ ThresholdFunctions.Bit(input, 1, 3) ^ ThresholdFunctions.Bit(input, 2, 3)) == 1) parity3 |= 1 << input;
        int pairsThatWork = 0;
        foreach (int a in t3)
            foreach (int b in t3)
                if (ThresholdFunctions.Realizable(parity3, 3, [a, b], t2)) pairsThatWork++;
        bool singleWorks = t3.Any(a => ThresholdFunctions.Realizable(parity3, 3, [a], [0b10, 0b01, 0b00, 0b11]));
        result.Check("No one hidden layer of 2 step neurons (nor 1) feeding a step neuron computes a 3-bit parity",
            pairsThatWork == 0 && !singleWorks,
            $"all {t3.Count}² pairs of hidden neurons tried: {pairsThatWork} work. Each P_m with its fourth input held at 0 is a 3-bit parity, and a step neuron " +
            "with an input held fixed is still a step neuron, so every output must read at least 3 hidden neurons: 9 is the minimum when outputs do not share " +
            "hidden neurons, 3 × 4 = 12 in the printed design is not.");

        // Shared hidden neurons: (P1, P2, P3) takes 8 values, each on exactly two inputs d and d ⊕ 1110.
        // With 3 hidden neurons there are only 8 codes, so every neuron must agree on d and d ⊕ 1110.
        int kernel = 0b1110;
        var invariant = t4.Where(f => Enumerable.Range(0, 16).All(i => ((f >> i) & 1) == ((f >> (i ^ kernel)) & 1))).ToList();
        bool onlyD4 = invariant.All(f => Enumerable.Range(0, 16).All(i => ((f >> i) & 1) == ((f >> (i & 1)) & 1)));
        result.Check("Even with shared hidden neurons, 3 cannot work (so at least 4 are needed)",
            onlyD4,
            $"(P1, P2, P3) takes all 8 values, so 3 hidden neurons must give each value its own code and agree on d and d ⊕ 1110 (same parity bits). " +
            $"Of the 1882 step-neuron functions of 4 inputs, {invariant.Count} agree on every such pair, and all of them read d4 alone: at most 2 codes, not 8.");
    }

    /// <summary>Trains 4 → k → 3 sigmoid networks with growing steepness, thresholds them, and keeps the smallest k that is right on all 16 inputs.</summary>
    static StepNetwork? TrainShared(LabResult result, LabContext context, int[][] inputs, int[][] truth, Dictionary<string, object> networks)
    {
        var x = Tensor.FromArray(inputs.SelectMany(r => r.Select(v => (double)v)).ToArray(), [16, 4]);
        var y = Tensor.FromArray(truth.SelectMany(r => r.Select(v => (double)v)).ToArray(), [16, 3]);
        int restarts = context.GetOption("hamming.restarts", 8), steps = context.GetOption("hamming.steps", 1200);
        var log = result.Table("Backprop search for a shared hidden layer (sigmoid(β·z) with β rising 1 → 10, Adam, then step)", ["hidden k", "restarts", "best correct of 16", "first success"]);
        StepNetwork? Search(int k)
        {
            int best = 0;
            for (int r = 0; r < restarts; r++)
            {
                context.Report($"shared hidden layer k = {k}, restart {r + 1}", 0.35 + 0.5 * r / restarts);
                var net = TrainOne(x, y, k, (ulong)(context.Seed * 7919 + k * 101 + r), steps);
                int right = CountCorrect(net, inputs, truth);
                best = Math.Max(best, right);
                if (right == 16)
                {
                    log.AddRow(k.ToString(CultureInfo.InvariantCulture), (r + 1).ToString(CultureInfo.InvariantCulture), "16", $"restart {r + 1}");
                    return net;
                }
            }
            log.AddRow(k.ToString(CultureInfo.InvariantCulture), restarts.ToString(CultureInfo.InvariantCulture), best.ToString(CultureInfo.InvariantCulture), "—");
            return null;
        }
        // Start at 6 (what a quick search usually reaches), go down while it succeeds, up while it fails.
        StepNetwork? smallest = null;
        int k = 6;
        var found6 = Search(k);
        if (found6 is not null)
        {
            smallest = found6;
            for (k = 5; k >= 4 && Search(k) is { } smaller; k--) smallest = smaller;
        }
        else
            for (k = 7; k <= 8 && smallest is null; k++) smallest = Search(k);
        if (smallest is null)
        {
            result.Check("Backprop through a sigmoid surrogate finds a shared hidden layer", false, "no k in 4..8 reached 16/16 within the budget");
            return null;
        }
        result.Check($"Backprop (sigmoid surrogate, then thresholded) trains a step network with {smallest.HiddenNeurons} shared hidden neurons to 16/16",
            CountCorrect(smallest, inputs, truth) == 16,
            $"Sharing hidden neurons between outputs beats 9. The exact minimum is 5 (the checks above: a 5-neuron network, and no 4 can work); this search need not reach it (see the table).");
        networks["trained_shared"] = Rows(inputs, smallest.Evaluate(inputs));
        result.Value("fewest_hidden_found", smallest.HiddenNeurons);
        return smallest;
    }

    static StepNetwork TrainOne(Tensor x, Tensor y, int k, ulong seed, int steps)
    {
        var g = new Generator(seed);
        var w1 = Tensor.Randn([k, 4], g, DType.Float64, requiresGrad: true);
        var b1 = Tensor.Randn([k], g, DType.Float64, requiresGrad: true);
        var w2 = Tensor.Randn([3, k], g, DType.Float64, requiresGrad: true);
        var b2 = Tensor.Randn([3], g, DType.Float64, requiresGrad: true);
        var opt = new Adam([w1, b1, w2, b2], lr: 0.05);
        for (int s = 0; s < steps; s++)
        {
            using var scope = TensorScope.Begin();
            double beta = 1 + 9.0 * s / steps;   // the surrogate σ(βz) sharpens towards step(z)
            var h = F.Sigmoid((F.MatMul(x, w1.T) + b1) * beta);
            var o = F.Sigmoid((F.MatMul(h, w2.T) + b2) * beta);
            var loss = F.MseLoss(o, y);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
        }
        static double[,] Round(Tensor t) { var a = t.ToArray2D(); for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) a[i, j] = Math.Round(a[i, j], 2); return a; }
        static double[] RoundV(Tensor t) => t.ToArray().Select(v => Math.Round(v, 2)).ToArray();
        // Weights rounded to 2 decimals: the step network written down is the one that is checked.
        return new StepNetwork([DataBits, Enumerable.Range(1, k).Select(i => $"s{i}").ToArray(), ParityBits],
            [Round(w1), Round(w2)], [RoundV(b1), RoundV(b2)]);
    }

    /// <summary>
    /// Corrects one flipped bit of r = (d1 d2 d3 d4 P1 P2 P3). Layer 1: for each syndrome sₘ = Pₘ ⊕ (its three data bits),
    /// four neurons "at least t of these 4 bits are on"; copies of d. Layer 2: sₘ = c₁ − c₂ + c₃ − c₄ > ½; copies of d.
    /// Layer 3: eᵢ = "the syndrome equals data bit i's column". Layer 4: dᵢ ∨ eᵢ and dᵢ ∧ eᵢ. Output: dᵢ ⊕ eᵢ = OR − AND.
    /// </summary>
    internal static StepNetwork Decoder()
    {
        // Syndrome of an error in each data bit: data bit i is covered by parity m when i ∈ Covers[m].
        int[][] column = Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, 3).Select(m => Covers[m].Contains(i) ? 1 : 0).ToArray()).ToArray();
        var l1 = new double[16, 7]; var b1 = new double[16];
        for (int m = 0; m < 3; m++)
            for (int t = 1; t <= 4; t++)
            {
                int h = 4 * m + t - 1;
                foreach (int i in Covers[m]) l1[h, i] = 1;
                l1[h, 4 + m] = 1;
                b1[h] = -t + 0.5;
            }
        for (int i = 0; i < 4; i++) { l1[12 + i, i] = 1; b1[12 + i] = -0.5; }
        var l2 = new double[7, 16]; var b2 = new double[7];
        for (int m = 0; m < 3; m++) { for (int t = 0; t < 4; t++) l2[m, 4 * m + t] = t % 2 == 0 ? 1 : -1; b2[m] = -0.5; }
        for (int i = 0; i < 4; i++) { l2[3 + i, 12 + i] = 1; b2[3 + i] = -0.5; }
        var l3 = new double[8, 7]; var b3 = new double[8];
        for (int i = 0; i < 4; i++)
        {
            for (int m = 0; m < 3; m++) l3[i, m] = column[i][m] == 1 ? 1 : -1;
            b3[i] = -(column[i].Sum() - 0.5);
            l3[4 + i, 3 + i] = 1; b3[4 + i] = -0.5;
        }
        var l4 = new double[8, 8]; var b4 = new double[8];
        for (int i = 0; i < 4; i++)
        {
            l4[2 * i, i] = 1; l4[2 * i, 4 + i] = 1; b4[2 * i] = -0.5;         // dᵢ ∨ eᵢ
            l4[2 * i + 1, i] = 1; l4[2 * i + 1, 4 + i] = 1; b4[2 * i + 1] = -1.5; // dᵢ ∧ eᵢ
        }
        var l5 = new double[4, 8]; var b5 = new double[4];
        for (int i = 0; i < 4; i++) { l5[i, 2 * i] = 1; l5[i, 2 * i + 1] = -1; b5[i] = -0.5; }
        string[] Names(string p, int n) => Enumerable.Range(1, n).Select(i => $"{p}{i}").ToArray();
        return new StepNetwork(
            [["d1", "d2", "d3", "d4", "P1", "P2", "P3"], Names("c", 16), Names("s", 7), Names("e", 8), Names("x", 8), DataBits],
            [l1, l2, l3, l4, l5], [b1, b2, b3, b4, b5]);
    }

    static int DecoderCases(StepNetwork decoder, out string summary)
    {
        var received = new List<int[]>();
        var sent = new List<int[]>();
        foreach (var d in AllInputs())
        {
            var codeword = d.Concat(Parity(d)).ToArray();
            for (int flip = -1; flip < 7; flip++)
            {
                var r = (int[])codeword.Clone();
                if (flip >= 0) r[flip] ^= 1;
                received.Add(r);
                sent.Add(d);
            }
        }
        var decoded = decoder.Evaluate([.. received]);
        int right = Enumerable.Range(0, decoded.Length).Count(i => decoded[i].SequenceEqual(sent[i]));
        summary = $"Decoder: {decoder.HiddenNeurons} hidden step neurons in 4 layers (syndrome counters, syndromes, error locators, XOR halves); " +
                  $"{right} of {decoded.Length} received words (16 codewords, each sent clean and with each of its 7 bits flipped) decode to the data sent.";
        return right;
    }

    static int CountCorrect(StepNetwork net, int[][] inputs, int[][] truth)
    {
        var outputs = net.Evaluate(inputs);
        return Enumerable.Range(0, inputs.Length).Count(i => outputs[i].SequenceEqual(truth[i]));
    }

    static int[][] Rows(int[][] inputs, int[][] outputs) => inputs.Select((d, i) => d.Concat(outputs[i]).ToArray()).ToArray();
}
