using SharpGrad.Kernels;

namespace SharpGrad;

/// <summary>The hyper-parameters of a 2-D convolution, checked once and carried to the backward.</summary>
internal readonly record struct ConvArgs(Size2 Stride, Size2 Padding, Size2 Dilation, int Groups)
{
    public static ConvArgs Create(string op, Size2? stride, Size2? padding, Size2? dilation, int groups)
    {
        var a = new ConvArgs(stride ?? 1, padding ?? 0, dilation ?? 1, groups);
        if (a.Stride.H <= 0 || a.Stride.W <= 0) throw new ArgumentException($"{op}: stride must be positive, got {a.Stride}");
        if (a.Dilation.H <= 0 || a.Dilation.W <= 0) throw new ArgumentException($"{op}: dilation must be positive, got {a.Dilation}");
        if (a.Padding.H < 0 || a.Padding.W < 0) throw new ArgumentException($"{op}: padding must be non-negative, got {a.Padding}");
        if (groups <= 0) throw new ArgumentException($"{op}: groups must be positive, got {groups}");
        return a;
    }

    /// <summary>The kernel-side geometry for input planes [C/groups, H, W] and a kH×kW kernel.</summary>
    public ConvGeometry Geometry(int channelsPerGroup, int height, int width, int kernelH, int kernelW) =>
        new(channelsPerGroup, height, width, kernelH, kernelW, Stride.H, Stride.W, Padding.H, Padding.W, Dilation.H, Dilation.W);

    /// <summary>Output size along one axis: ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1.</summary>
    public static int OutSize(int n, int k, int s, int p, int d) => (n + 2 * p - d * (k - 1) - 1) / s + 1;
}
