using SharpGrad.Labs.Plots;
using SharpGrad.Labs.Report;
using SharpGrad.Nn;

namespace SharpGrad.Labs.CnnAsMlp;

/// <summary>
/// Lab 4, "CNNs are universal approximators": every convolution on a fixed-size input is a fully connected layer whose
/// weight matrix is doubly block-Toeplitz (Conv2d.ToLinear), shown on the assignment's 3×3 image and 2×2 kernel and then
/// with channels, stride, padding, dilation and groups; and the converse (ConvStructure.TryAsConv2d): a dense layer is
/// a convolution exactly when its matrix is local, weight-shared and has one bias per channel.
/// </summary>
public sealed class CnnAsMlpLab : ILab
{
    static readonly LabText Text = LabText.For<CnnAsMlpLab>();

    /// <inheritdoc/>
    public string Name => "cnn-as-mlp";

    /// <inheritdoc/>
    public string Title => Text.Title;

    /// <inheritdoc/>
    public string Question => Text.Question;

    /// <inheritdoc/>
    public int Order => 4;

    /// <summary>The assignment's W for a 3×3 X and F = (f11 f12; f21 f22), with f = (1 2; 3 4) substituted.</summary>
    internal static readonly double[,] PrintedW =
    {
        { 1, 2, 0, 3, 4, 0, 0, 0, 0 },
        { 0, 1, 2, 0, 3, 4, 0, 0, 0 },
        { 0, 0, 0, 1, 2, 0, 3, 4, 0 },
        { 0, 0, 0, 0, 1, 2, 0, 3, 4 },
    };

    /// <summary>One generalised setting: a Conv2d and the [C, H, W] input it is flattened for.</summary>
    internal sealed record Setting(string Name, int C, int O, int H, int W, int K, Size2 Stride, Size2 Padding, Size2 Dilation, int Groups);

    internal static readonly Setting[] Settings =
    [
        new("1 → 1 channel, 3×3 kernel", 1, 1, 6, 6, 3, 1, 0, 1, 1),
        new("2 → 3 channels", 2, 3, 5, 5, 3, 1, 0, 1, 1),
        new("stride 2", 2, 2, 7, 7, 3, 2, 0, 1, 1),
        new("padding 1 ('same')", 2, 2, 5, 5, 3, 1, 1, 1, 1),
        new("dilation 2", 1, 2, 7, 7, 3, 1, 0, 2, 1),
        new("groups 2", 4, 4, 5, 5, 3, 1, 0, 1, 2),
        new("stride (2, 1), padding (1, 0), dilation (1, 2)", 2, 3, 6, 7, 2, (2, 1), (1, 0), (1, 2), 1),
    ];

    /// <inheritdoc/>
    public LabResult Run(LabContext context)
    {
        var result = new LabResult(Name);
        var rng = new Generator((ulong)context.Seed);
        context.Report("the assignment's 3×3 / 2×2 case", 0.05);
        AssignmentCase(result);
        context.Report("channels, stride, padding, dilation, groups", 0.3);
        Generalised(result, rng);
        context.Report("which MLPs are CNNs", 0.7);
        Converse(result, rng);
        return result;
    }

    static void AssignmentCase(LabResult result)
    {
        var conv = new Conv2d(1, 1, 2, bias: false, dtype: DType.Float64);
        using (Autograd.NoGrad()) conv.Weight.Copy_(Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [1, 1, 2, 2]));
        var w = conv.ToLinear([1, 3, 3]).Weight.ToArray2D();
        result.Value("W_3x3_image_2x2_kernel", w);
        bool same = w.GetLength(0) == 4 && w.GetLength(1) == 9 && Enumerable.Range(0, 36).All(k => w[k / 9, k % 9] == PrintedW[k / 9, k % 9]);
        result.Check("The assignment's W for a 3×3 image and a 2×2 kernel is the matrix of the convolution", same,
            "Conv2d.ToLinear([1, 3, 3]) with F = (1 2; 3 4) gives rows (f11 f12 0 f21 f22 0 0 0 0), shifted by 1, 3 and 4 columns, as printed.");
        result.Figure("W for a 3×3 image and a 2×2 kernel F = (1 2; 3 4)", Chart.Heatmap("W (4 × 9)", w, "weight", "input pixel (row-major)", "output pixel"),
            Text.Fill("caption toeplitz"));
    }

    static void Generalised(LabResult result, Generator rng)
    {
        var table = result.Table("Conv2d against its Linear on 8 random inputs",
            "setting", "input [C, H, W]", "output [O, OH, OW]", "W_lin", "conv parameters", "linear parameters", "non-zero entries of " +
            "W_lin", "max |conv − linear|");
        double worst = 0;
        var counts = new Dictionary<string, object?>();
        double[,]? drawn = null;
        foreach (var s in Settings)
        {
            var conv = new Conv2d(s.C, s.O, s.K, s.Stride, s.Padding, s.Dilation, s.Groups, bias: true, DType.Float64, rng);
            var linear = conv.ToLinear([s.C, s.H, s.W]);
            var x = Tensor.Randn([8, s.C, s.H, s.W], rng, DType.Float64);
            double err;
            using (Autograd.NoGrad())
            {
                var a = conv.Forward(x).Flatten(1).ToArray();
                var b = linear.Forward(x.Flatten(1)).ToArray();
                err = a.Zip(b, (u, v) => Math.Abs(u - v)).Max();
            }
            worst = Math.Max(worst, err);
            var outShape = conv.OutputShape([s.C, s.H, s.W]);
            int nonZero = linear.Weight.ToArray().Count(v => v != 0);
            table.AddRow(s.Name, $"[{s.C}, {s.H}, {s.W}]", $"[{string.Join(", ", outShape)}]", $"{linear.OutFeatures} × {linear.InFeatures}",
                conv.ParameterCount(), linear.ParameterCount(), nonZero, err);
            counts[s.Name] = new Dictionary<string, object?> { ["conv"] = conv.ParameterCount(), ["linear"] = linear.ParameterCount(), ["max_abs_error"] = err };
            if (s.Name == "padding 1 ('same')") drawn = linear.Weight.ToArray2D();
        }
        result.Value("parameter_counts", counts);
        result.Value("max_abs_error_conv_vs_linear", worst);
        result.Check("Every setting's Linear computes the same outputs as its Conv2d", worst <= 1e-12,
            $"max |conv − linear| = {worst:G3} over {Settings.Length} settings × 8 random inputs (float64)");
        result.Figure("W_lin of a 2 → 2 channel 3×3 convolution with padding 1 on 5×5 inputs", Chart.Heatmap("W_lin (50 × 50)", drawn!, "weight", "input (c, y, x)", "output (o, i, j)"),
            Text.Fill("caption block-toeplitz"));
        // A multi-channel ("3-D") convolution without bias: its Linear has no bias and still computes the same outputs.
        var noBias = new Conv2d(3, 2, 2, bias: false, dtype: DType.Float64, generator: rng);
        var noBiasLinear = noBias.ToLinear([3, 4, 4]);
        var x3 = Tensor.Randn([4, 3, 4, 4], rng, DType.Float64);
        double noBiasError;
        using (Autograd.NoGrad())
            noBiasError = noBias.Forward(x3).Flatten(1).ToArray().Zip(noBiasLinear.Forward(x3.Flatten(1)).ToArray(), (u, v) => Math.Abs(u - v)).Max();
        result.Check("A 3-D (multi-channel) image and kernel need no bias term: a bias-free conv is a bias-free Linear",
            noBiasLinear.Bias is null && noBiasError <= 1e-12,
            $"Conv2d(3 → 2, 2×2, bias: false) on [3, 4, 4]: ToLinear has no bias, max |conv − linear| = {noBiasError:G3}");
        // With a bias: the Linear's bias is b[o] at every output position (o, i, j), and without it every output is off by exactly b[o].
        var withBias = new Conv2d(3, 2, 2, dtype: DType.Float64, generator: new Generator(22));   // its own draws: rng's later values stay as they were
        var withBiasLinear = withBias.ToLinear([3, 4, 4]);
        var bias = withBias.Bias!.ToArray();
        var bLin = withBiasLinear.Bias!.ToArray();
        int positions = bLin.Length / bias.Length;
        bool repeated = Enumerable.Range(0, bLin.Length).All(k => bLin[k] == bias[k / positions]);
        double offByBias;
        using (Autograd.NoGrad())
        {
            var conv = withBias.Forward(x3).Flatten(1).ToArray();
            var noBiasPart = SharpGrad.F.MatMul(x3.Flatten(1), withBiasLinear.Weight.T).ToArray();
            offByBias = Enumerable.Range(0, conv.Length).Max(k => Math.Abs(conv[k] - noBiasPart[k] - bias[k % bLin.Length / positions]));
        }
        result.Check("The MLP needs a bias exactly when the CNN's convolution has one: b_lin[(o, i, j)] = b[o], and without it each output is off by b[o]",
            repeated && offByBias <= 1e-12 && noBiasLinear.Bias is null,
            $"Conv2d(3 → 2, 2×2) with bias b = ({string.Join(", ", bias.Select(v => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}) on [3, 4, 4]: " +
            $"ToLinear's bias is b[o] repeated at all {positions} positions; W_lin·x alone differs from the conv by exactly b[o] (max |error| {offByBias:G3}); " +
            "the same conv without a bias maps to a Linear without one (check above).");
        Text.Differs(result, "bias");
        Text.Differs(result, "condition");
        Text.Note(result, "fixed-size");
    }

    static void Converse(LabResult result, Generator rng)
    {
        var conv = new Conv2d(2, 3, 3, padding: 1, dtype: DType.Float64, generator: rng);
        int[] input = [2, 5, 5];
        ConvStructureMatch Ask(Linear l) => ConvStructure.TryAsConv2d(l, input, 3, 3, padding: 1);

        var exact = conv.ToLinear(input);
        var back = Ask(exact);
        bool roundTrip = back.IsConvolution && back.Conv!.Weight.ToArray().SequenceEqual(conv.Weight.ToArray()) && back.Conv.Bias!.ToArray().SequenceEqual(conv.Bias!.ToArray());
        result.Check("A convolution's matrix is recognised and gives back the same kernel and bias", roundTrip, back.Reason);

        var unshared = conv.ToLinear(input);
        Edit(unshared.Weight, 7 * 50 + 8, v => v + 0.5);          // output 0 at (1, 2), input 0 at (1, 3): tap F[0, 0, 1, 2]
        var noSharing = Ask(unshared);
        result.Check("Changing one tap at one position breaks weight sharing, and the check says where", !noSharing.IsConvolution && noSharing.Reason.Contains("not shared", StringComparison.Ordinal), noSharing.Reason);

        var nonLocal = conv.ToLinear(input);
        Edit(nonLocal.Weight, 0 * 50 + 49, _ => 0.25);             // output 0 at (0, 0), input 1 at (4, 4)
        var noLocality = Ask(nonLocal);
        result.Check("A weight outside the receptive field breaks locality", !noLocality.IsConvolution && noLocality.Reason.Contains("not local", StringComparison.Ordinal), noLocality.Reason);

        var biased = conv.ToLinear(input);
        Edit(biased.Bias!, 3, v => v + 1);
        var noBias = Ask(biased);
        result.Check("A bias that varies within a channel is no convolution's bias", !noBias.IsConvolution && noBias.Reason.Contains("bias", StringComparison.Ordinal), noBias.Reason);

        var dense = new Linear(50, 75, dtype: DType.Float64, generator: rng);
        var random = Ask(dense);
        result.Check("A random dense layer of the same size is not a convolution", !random.IsConvolution, random.Reason);

        result.Value("converse", new Dictionary<string, object?>
        {
            ["conv_matrix"] = back.Reason,
            ["one_tap_changed"] = noSharing.Reason,
            ["weight_outside_window"] = noLocality.Reason,
            ["bias_varies_in_channel"] = noBias.Reason,
            ["random_dense"] = random.Reason,
        });
        long free = conv.ParameterCount();
        Text.Note(result, "which-mlps", ("free", free), ("dense_parameter_count", dense.ParameterCount()));
    }

    /// <summary>Changes one entry (flat index) of a parameter.</summary>
    static void Edit(Tensor t, int index, Func<double, double> change)
    {
        var values = t.ToArray();
        values[index] = change(values[index]);
        using (Autograd.NoGrad()) t.Copy_(Tensor.FromArray(values, [.. t.Shape], t.DType));
    }
}
