using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Conv;

/// <summary>
/// <see cref="ConvStructure.TryAsConv2d"/> at its edges (issue 23, mutation testing of Nn): the geometry checks one
/// argument at a time, the tolerance, and which entry the diagnosis names (where a tap is first read, groups,
/// dilation holes). Entries and positions are worked by hand from the Toeplitz layout in the comments.
/// </summary>
public class ConvStructureEdgeTests
{
    /// <summary>A 1→1 channel 3×3 convolution with padding 1 on a 3×3 image (output 3×3), weights 1…9, no bias, as a Linear.</summary>
    static Linear Padded3x3()
    {
        var conv = new Conv2d(1, 1, 3, padding: 1, bias: false, dtype: DType.Float64);
        using (Autograd.NoGrad()) conv.Weight.Copy_(Tensor.FromArray(Enumerable.Range(1, 9).Select(v => (double)v).ToArray(), [1, 1, 3, 3]));
        return conv.ToLinear([1, 3, 3]);
    }

    static void Set(Linear linear, int row, int col, double value)
    {
        using (Autograd.NoGrad()) linear.Weight.SetRaw(row * linear.Weight.Shape[1] + col, value);
    }

    [Fact]
    public void The_geometry_is_checked_one_argument_at_a_time()
    {
        var linear = Padded3x3();
        Assert.Contains("must be one sample's [C, H, W]", Assert.Throws<ArgumentException>(() => ConvStructure.TryAsConv2d(linear, [1, 9], 1, 3, padding: 1)).Message);
        foreach (var shape in new[] { new[] { 0, 3, 3 }, new[] { 1, 0, 3 }, new[] { 1, 3, 0 } })
            Assert.Contains("must be one sample's [C, H, W]", Assert.Throws<ArgumentException>(() => ConvStructure.TryAsConv2d(linear, shape, 1, 3, padding: 1)).Message);
        Assert.Contains("groups 2 must divide the 3 input and 4 output channels", Assert.Throws<ArgumentException>(() => ConvStructure.TryAsConv2d(linear, [3, 3, 3], 4, 1, groups: 2)).Message);
        Assert.Contains("groups 2 must divide the 4 input and 3 output channels", Assert.Throws<ArgumentException>(() => ConvStructure.TryAsConv2d(linear, [4, 3, 3], 3, 1, groups: 2)).Message);
        // A 3×3 kernel fits a 1×3 image padded by 1 (3×3) and a 3×1 one, not a 0-padded 2×3 or 3×2 one.
        Assert.Contains("maps 9 → 9 features", ConvStructure.TryAsConv2d(linear, [1, 1, 3], 1, 3, padding: 1).Reason);
        Assert.Contains("kernel 3x3 does not fit the padded input 2x3", Assert.Throws<ArgumentException>(() => ConvStructure.TryAsConv2d(linear, [1, 2, 3], 1, 3)).Message);
        Assert.Contains("kernel 3x3 does not fit the padded input 3x2", Assert.Throws<ArgumentException>(() => ConvStructure.TryAsConv2d(linear, [1, 3, 2], 1, 3)).Message);
        // Output features must match too: 1 → 2 channels gives 18 rows, the layer has 9.
        Assert.Contains("a 3x3 convolution from [1, 3, 3] to [2, 3, 3] maps 9 → 18", ConvStructure.TryAsConv2d(linear, [1, 3, 3], 2, 3, padding: 1).Reason);
        Assert.True(ConvStructure.TryAsConv2d(linear, [1, 3, 3], 1, 3, padding: 1).IsConvolution);
        Assert.Contains("ConvStructure.TryAsConv2d: stride must be positive", Assert.Throws<ArgumentException>(() => ConvStructure.TryAsConv2d(linear, [1, 3, 3], 1, 3, stride: 0)).Message);
    }

    [Fact]
    public void The_first_copy_of_a_tap_is_the_one_in_the_first_row_and_column_that_sees_it()
    {
        // The centre tap F[0, 0, 1, 1] = 5 is first read at output (0, 0). A changed copy later in that output row (output
        // (0, 2), input (0, 2): entry [2, 2]) or in the next row (output (1, 0), input (1, 0): entry [3, 3]) is named, not the first.
        var linear = Padded3x3();
        Set(linear, 2, 2, 9.5);
        Assert.Contains("entry [2, 2] = 9.5 (output channel 0 at (0, 2), input channel 0 at (0, 2)) is kernel tap F[0, 0, 1, 1], which is 5 at output (0, 0)",
            ConvStructure.TryAsConv2d(linear, [1, 3, 3], 1, 3, padding: 1).Reason);
        linear = Padded3x3();
        Set(linear, 3, 3, 9.5);
        Assert.Contains("entry [3, 3] = 9.5 (output channel 0 at (1, 0), input channel 0 at (1, 0)) is kernel tap F[0, 0, 1, 1], which is 5 at output (0, 0)",
            ConvStructure.TryAsConv2d(linear, [1, 3, 3], 1, 3, padding: 1).Reason);
    }

    [Fact]
    public void Taps_that_only_ever_meet_padding_come_back_as_zero()
    {
        // A 1×3 kernel with padding 1 on a 1×1 image: the single output sees the image through the middle tap only.
        var conv = new Conv2d(1, 1, (1, 3), padding: (0, 1), bias: false, dtype: DType.Float64);
        using (Autograd.NoGrad()) conv.Weight.Copy_(Tensor.FromArray(new double[] { 4, 5, 6 }, [1, 1, 1, 3]));
        var match = ConvStructure.TryAsConv2d(conv.ToLinear([1, 1, 1]), [1, 1, 1], 1, (1, 3), padding: (0, 1));
        Assert.True(match.IsConvolution, match.Reason);
        Assert.Equal(new double[] { 0, 5, 0 }, match.Conv!.Weight.ToArray());
    }

    [Fact]
    public void The_tap_named_is_found_by_output_channel_input_channel_and_offset()
    {
        // 2 → 2 channels, 3×3 kernel, padding 1 on 3×3. Output channel 1 at (2, 2) is row (1·3 + 2)·3 + 2 = 17; input channel 1
        // at (1, 1) is column (1·3 + 1)·3 + 1 = 13; offset (1 − 2 + 1, 1 − 2 + 1) = (0, 0): tap F[1, 1, 0, 0], first read at (1, 1).
        var linear = new Conv2d(2, 2, 3, padding: 1, bias: false, dtype: DType.Float64, generator: new Generator(5)).ToLinear([2, 3, 3]);
        Set(linear, 17, 13, 9.5);
        var reason = ConvStructure.TryAsConv2d(linear, [2, 3, 3], 2, 3, padding: 1).Reason;
        Assert.Contains("entry [17, 13] = 9.5 (output channel 1 at (2, 2), input channel 1 at (1, 1)) is kernel tap F[1, 1, 0, 0], which is ", reason);
        Assert.EndsWith(" at output (1, 1): weights are not shared", reason);
        // Output channel 0 at (2, 2), row 8, and input channel 1 at (1, 1), column 13: tap F[0, 1, 0, 0].
        linear = new Conv2d(2, 2, 3, padding: 1, bias: false, dtype: DType.Float64, generator: new Generator(5)).ToLinear([2, 3, 3]);
        Set(linear, 8, 13, 9.5);
        Assert.Contains("entry [8, 13] = 9.5 (output channel 0 at (2, 2), input channel 1 at (1, 1)) is kernel tap F[0, 1, 0, 0], which is ",
            ConvStructure.TryAsConv2d(linear, [2, 3, 3], 2, 3, padding: 1).Reason);
        // Groups 3, 3 → 6 channels, 1×1 on 1×1: output channel 1 belongs to group 0 (channels 0–1), input channel 2 to group 2.
        var grouped = new Conv2d(3, 6, 1, groups: 3, bias: false, dtype: DType.Float64, generator: new Generator(6)).ToLinear([3, 1, 1]);
        Set(grouped, 1, 2, 0.5);
        Assert.Contains("entry [1, 2] = 0.5 (output channel 1 at (0, 0), input channel 2 at (0, 0)) connects channels of different groups (groups 3)",
            ConvStructure.TryAsConv2d(grouped, [3, 1, 1], 6, 1, groups: 3).Reason);
    }

    [Fact]
    public void A_tap_is_read_where_it_first_appears_and_a_later_copy_that_differs_is_named()
    {
        // Tap F[0, 0, 0, 0] = 1 meets the image first at output (1, 1) (window corner (0, 0)); its last copy is at output
        // (2, 2), row 2·3 + 2 = 8, column input (1, 1) = 4. Changing that copy breaks weight sharing there.
        var linear = Padded3x3();
        Set(linear, 8, 4, 1.5);
        var match = ConvStructure.TryAsConv2d(linear, [1, 3, 3], 1, 3, padding: 1);
        Assert.False(match.IsConvolution);
        Assert.Contains("entry [8, 4] = 1.5 (output channel 0 at (2, 2), input channel 0 at (1, 1)) is kernel tap F[0, 0, 0, 0], which is 1 at output (1, 1)", match.Reason);
    }

    [Fact]
    public void Tolerance_accepts_differences_up_to_it_in_the_matrix_and_the_bias()
    {
        var linear = Padded3x3();
        Set(linear, 8, 4, 1 + 1e-9);
        Assert.False(ConvStructure.TryAsConv2d(linear, [1, 3, 3], 1, 3, padding: 1).IsConvolution);
        var loose = ConvStructure.TryAsConv2d(linear, [1, 3, 3], 1, 3, padding: 1, tolerance: 1e-6);
        Assert.True(loose.IsConvolution, loose.Reason);
        // The kernel is read at each tap's first copy: F[0, 0, 0, 0] = 1 exactly.
        Assert.Equal(1.0, loose.Conv!.Weight.ToArray()[0]);

        var conv = new Conv2d(2, 2, 1, dtype: DType.Float64, generator: new Generator(1));
        var withBias = conv.ToLinear([2, 2, 2]);   // 2 channels × 4 positions: bias entries 0–3 equal, 4–7 equal
        using (Autograd.NoGrad()) withBias.Bias!.SetRaw(5, withBias.Bias[5] + 1e-9);
        Assert.Contains("bias entry 5", ConvStructure.TryAsConv2d(withBias, [2, 2, 2], 2, 1).Reason);
        var biasLoose = ConvStructure.TryAsConv2d(withBias, [2, 2, 2], 2, 1, tolerance: 1e-6);
        Assert.True(biasLoose.IsConvolution, biasLoose.Reason);
        Assert.Equal(conv.Bias!.ToArray(), biasLoose.Conv!.Bias!.ToArray());
        Assert.Contains("6 parameters instead of 72", biasLoose.Reason);   // 2·2 + 2 against 8·8 + 8
        // The bias diagnosis names the entry, the channel's first value and the channel: biases 0.25 and 0.5 spread over
        // 4 positions each, entry 5 changed to 0.75.
        using (Autograd.NoGrad()) conv.Bias.Copy_(Tensor.FromArray(new[] { 0.25, 0.5 }));
        var spread = conv.ToLinear([2, 2, 2]);
        using (Autograd.NoGrad()) spread.Bias!.SetRaw(5, 0.75);
        Assert.Contains("bias entry 5 = 0.75 differs from 0.5 at the first position of output channel 1", ConvStructure.TryAsConv2d(spread, [2, 2, 2], 2, 1).Reason);
    }

    [Fact]
    public void Entries_across_groups_and_in_dilation_holes_are_named_as_such()
    {
        // groups 2, 2 → 2 channels, 1×1 kernel on 2×2: output channel 0 may see input channel 0 only. Row 0 (channel 0 at (0, 0)),
        // column 4 (channel 1 at (0, 0)) lies inside the window but in the other group.
        var grouped = new Conv2d(2, 2, 1, groups: 2, bias: false, dtype: DType.Float64, generator: new Generator(2)).ToLinear([2, 2, 2]);
        Set(grouped, 0, 4, 0.5);
        Assert.Contains("entry [0, 4] = 0.5 (output channel 0 at (0, 0), input channel 1 at (0, 0)) connects channels of different groups (groups 2)",
            ConvStructure.TryAsConv2d(grouped, [2, 2, 2], 2, 1, groups: 2).Reason);
        // Dilation 2, 2×2 kernel on 3×3: output (0, 0) reads (0, 0), (0, 2), (2, 0), (2, 2); input (0, 1), column 1, is a hole.
        var dilated = new Conv2d(1, 1, 2, dilation: 2, bias: false, dtype: DType.Float64, generator: new Generator(3)).ToLinear([1, 3, 3]);
        Set(dilated, 0, 1, 0.5);
        Assert.Contains("entry [0, 1] = 0.5 (output channel 0 at (0, 0), input channel 0 at (0, 1)) lies outside the 2x2 receptive field",
            ConvStructure.TryAsConv2d(dilated, [1, 3, 3], 1, 2, dilation: 2).Reason);
        // Input (1, 0), column 3, is a hole along the other axis.
        dilated = new Conv2d(1, 1, 2, dilation: 2, bias: false, dtype: DType.Float64, generator: new Generator(3)).ToLinear([1, 3, 3]);
        Set(dilated, 0, 3, 0.5);
        Assert.Contains("not local", ConvStructure.TryAsConv2d(dilated, [1, 3, 3], 1, 2, dilation: 2).Reason);
        // On 4×4 (output 2×2) tap F[0, 0, 0, 1] is read at output (0, 0), input (0, 2); its copy at output (0, 1) is input
        // (0, 3): row 1, column 3, which the dilation maps back to tap column 2/2 = 1.
        dilated = new Conv2d(1, 1, 2, dilation: 2, bias: false, dtype: DType.Float64, generator: new Generator(3)).ToLinear([1, 4, 4]);
        Set(dilated, 1, 3, 7);
        Assert.Contains("entry [1, 3] = 7 (output channel 0 at (0, 1), input channel 0 at (0, 3)) is kernel tap F[0, 0, 0, 1]",
            ConvStructure.TryAsConv2d(dilated, [1, 4, 4], 1, 2, dilation: 2).Reason);
        Assert.Contains("at output (0, 0)", ConvStructure.TryAsConv2d(dilated, [1, 4, 4], 1, 2, dilation: 2).Reason);
        // Tap F[0, 0, 1, 0] is read at output (0, 0), input (2, 0); its copy at output (1, 0) is input (3, 0): row 2, column 12.
        dilated = new Conv2d(1, 1, 2, dilation: 2, bias: false, dtype: DType.Float64, generator: new Generator(3)).ToLinear([1, 4, 4]);
        Set(dilated, 2, 12, 7);
        Assert.Contains("entry [2, 12] = 7 (output channel 0 at (1, 0), input channel 0 at (3, 0)) is kernel tap F[0, 0, 1, 0]",
            ConvStructure.TryAsConv2d(dilated, [1, 4, 4], 1, 2, dilation: 2).Reason);
    }

    [Fact]
    public void Stride_places_the_windows_and_entries_past_the_window_are_not_local()
    {
        // Stride 2, 1×1 kernel on 3×3 (output 2×2): output (1, 1) reads input (2, 2) only. Its row 3 at input (2, 1),
        // column 7, is one column before the window (dx = −1); row 0 at input (0, 1), column 1, one after (dx = 1 ≥ k).
        var strided = new Conv2d(1, 1, 1, stride: 2, bias: false, dtype: DType.Float64, generator: new Generator(4)).ToLinear([1, 3, 3]);
        Assert.True(ConvStructure.TryAsConv2d(strided, [1, 3, 3], 1, 1, stride: 2).IsConvolution);
        Set(strided, 3, 7, 0.5);
        Assert.Contains("entry [3, 7] = 0.5 (output channel 0 at (1, 1), input channel 0 at (2, 1)) lies outside", ConvStructure.TryAsConv2d(strided, [1, 3, 3], 1, 1, stride: 2).Reason);
        strided = new Conv2d(1, 1, 1, stride: 2, bias: false, dtype: DType.Float64, generator: new Generator(4)).ToLinear([1, 3, 3]);
        Set(strided, 0, 1, 0.5);
        Assert.Contains("entry [0, 1]", ConvStructure.TryAsConv2d(strided, [1, 3, 3], 1, 1, stride: 2).Reason);
        Assert.Contains("not local", ConvStructure.TryAsConv2d(strided, [1, 3, 3], 1, 1, stride: 2).Reason);
        strided = new Conv2d(1, 1, 1, stride: 2, bias: false, dtype: DType.Float64, generator: new Generator(4)).ToLinear([1, 3, 3]);
        Set(strided, 3, 5, 0.5);   // output (1, 1), input (1, 2): one row above the window (dy = −1)
        Assert.Contains("entry [3, 5] = 0.5 (output channel 0 at (1, 1), input channel 0 at (1, 2)) lies outside", ConvStructure.TryAsConv2d(strided, [1, 3, 3], 1, 1, stride: 2).Reason);
        strided = new Conv2d(1, 1, 1, stride: 2, bias: false, dtype: DType.Float64, generator: new Generator(4)).ToLinear([1, 3, 3]);
        Set(strided, 0, 3, 0.5);   // input (1, 0): one row after the window (dy = 1 ≥ k)
        Assert.Contains("entry [0, 3]", ConvStructure.TryAsConv2d(strided, [1, 3, 3], 1, 1, stride: 2).Reason);
        Assert.Contains("not local", ConvStructure.TryAsConv2d(strided, [1, 3, 3], 1, 1, stride: 2).Reason);
    }
}
