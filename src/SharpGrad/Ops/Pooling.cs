using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// 2-D max pooling on [N, C, H, W] (or [C, H, W]): each output is the maximum of its kernel window; stride
    /// defaults to the kernel size, padding pads with −∞. Backward: dL/dX[argmax] += dL/dM for every window, so an
    /// input that is the maximum of several (overlapping) windows receives the sum of their gradients; among equal values
    /// the first in the window wins, and a NaN beats any number and the NaNs before it (PyTorch's CPU kernel).
    /// <paramref name="dilation"/> spaces the window's taps; <paramref name="ceilMode"/>: PyTorch's ceil_mode (windows
    /// past the end, clipped).
    /// </summary>
    public static Tensor MaxPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool ceilMode = false)
    {
        var (x, win, planes) = PoolSetup("MaxPool2d", input, kernelSize, stride, padding, countPadding: false, ceilMode, dilation ?? 1);
        return MaxPoolApply("MaxPool2d", x, input, win, planes, out _);
    }

    /// <summary>
    /// Max pooling to a fixed output size (<c>adaptive_max_pool2d</c>): output (i, j) is the maximum of rows
    /// [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) and the matching columns; the first maximum of a window takes the gradient.
    /// </summary>
    public static Tensor AdaptiveMaxPool2d(Tensor input, Size2 outputSize) => AdaptiveMaxPool2dWithIndices(input, outputSize).Values;

    /// <summary>
    /// <see cref="AdaptiveMaxPool2d"/> with PyTorch's <c>return_indices</c>: for each output, the flat index y·W + x of its
    /// maximum within its [H, W] plane, in the output's row-major order.
    /// </summary>
    public static (Tensor Values, long[] Indices) AdaptiveMaxPool2dWithIndices(Tensor input, Size2 outputSize)
    {
        if (input.Rank != 3 && input.Rank != 4)
            throw new ArgumentException($"AdaptiveMaxPool2d: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got {Shapes.Format(input.shape)}");
        if (outputSize.H <= 0 || outputSize.W <= 0)
            throw new ArgumentException($"AdaptiveMaxPool2d: output size must be positive, got {outputSize} for input {Shapes.Format(input.shape)}");
        CheckPlaneNotEmpty("AdaptiveMaxPool2d", input);
        int h = input.shape[^2], w = input.shape[^1];
        var x = Dense(input);
        var values = MaxPoolApply("AdaptiveMaxPool2d", x, input, PoolWindows.Adaptive(h, w, outputSize.H, outputSize.W), x.Numel / (h * w), out var argmax);
        return (values, [.. argmax.Span.ToArray().Select(i => (long)i)]);
    }

    /// <summary>The maximum over each window (and in <paramref name="argmax"/> the in-plane index of its first maximum); <paramref name="x"/> is <paramref name="input"/> made contiguous.</summary>
    static Tensor MaxPoolApply(string op, Tensor x, Tensor input, PoolWindows win, int planes, out IndexBuffer argmax)
    {
        int h = x.shape[^2], w = x.shape[^1];
        var o = Tensor.Empty(PoolShape(input, win), input.DType);
        var indices = argmax = IndexBuffer.Rent(o.Numel);
        DTypeDispatch.Run(x.DType, new MaxPoolForward(win, planes, h, w, x, o, indices));
        return Autograd.Record(op, o, [input],
            g => [MaxPoolScatter(g, indices, input.shape, win.IsNonOverlapping2x2)]);   // dL/dX = Σ_windows g[window] placed at argmax(window)
    }

    /// <summary>
    /// 2-D average pooling on [N, C, H, W] (or [C, H, W]); stride defaults to the kernel size. With
    /// <paramref name="countIncludePad"/> (PyTorch's default) the zero padding counts in the divisor (never the part of a
    /// <paramref name="ceilMode"/> window past the right padding).
    /// </summary>
    public static Tensor AvgPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null, bool countIncludePad = true, bool ceilMode = false)
    {
        var (x, win, _) = PoolSetup("AvgPool2d", input, kernelSize, stride, padding, countIncludePad, ceilMode);
        return AvgPoolApply("AvgPool2d", x, input, win);
    }

    /// <summary>
    /// Average pooling to a fixed output size (<c>torch.nn.functional.adaptive_avg_pool2d</c>): output (i, j) averages
    /// rows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) and the matching columns.
    /// </summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, Size2 outputSize)
    {
        if (input.Rank != 3 && input.Rank != 4)
            throw new ArgumentException($"AdaptiveAvgPool2d: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got {Shapes.Format(input.shape)}");
        if (outputSize.H <= 0 || outputSize.W <= 0)
            throw new ArgumentException($"AdaptiveAvgPool2d: output size must be positive, got {outputSize} for input {Shapes.Format(input.shape)}");
        CheckPlaneNotEmpty("AdaptiveAvgPool2d", input);
        var x = Dense(input);
        var win = PoolWindows.Adaptive(x.shape[^2], x.shape[^1], outputSize.H, outputSize.W);
        return AvgPoolApply("AdaptiveAvgPool2d", x, input, win);
    }

    static (Tensor x, PoolWindows win, int planes) PoolSetup(string op, Tensor input, Size2 kernel, Size2? stride, Size2? padding, bool countPadding, bool ceilMode,
        Size2? dilation = null)
    {
        var s = stride ?? kernel;
        var p = padding ?? 0;
        if (input.Rank != 3 && input.Rank != 4)
            throw new ArgumentException($"{op}: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got {Shapes.Format(input.shape)}");
        if (kernel.H <= 0 || kernel.W <= 0) throw new ArgumentException($"{op}: kernel size must be positive, got {kernel}");
        if (s.H <= 0 || s.W <= 0) throw new ArgumentException($"{op}: stride must be positive, got {s}");
        // PyTorch's rule: more padding than half the window would make windows of padding only.
        if (p.H < 0 || p.W < 0 || 2 * p.H > kernel.H || 2 * p.W > kernel.W)
            throw new ArgumentException($"{op}: padding {p} must be between 0 and half the kernel size {kernel}");
        Size2 d = dilation ?? 1;
        if (d.H <= 0 || d.W <= 0) throw new ArgumentException($"{op}: dilation must be positive, got {d}");
        CheckPlaneNotEmpty(op, input);
        int h = input.shape[^2], w = input.shape[^1], eh = d.H * (kernel.H - 1) + 1, ew = d.W * (kernel.W - 1) + 1;
        if (eh > h + 2 * p.H || ew > w + 2 * p.W)
            throw new ArgumentException($"{op}: kernel {kernel.H}x{kernel.W}{(d == new Size2(1, 1) ? "" : $" (dilated: {eh}x{ew})")} is larger than the padded input {h + 2 * p.H}x{w + 2 * p.W} (input {Shapes.Format(input.shape)}, padding {p})");
        var x = Dense(input);
        var win = PoolWindows.Sliding(h, w, kernel.H, kernel.W, s.H, s.W, p.H, p.W, countPadding, ceilMode, d.H, d.W);
        for (int i = 0; i < win.OutH; i++)
            if (win.HStart[i] >= win.HEnd[i])
                throw new ArgumentException($"{op}: window row {i} reads padding only (input {Shapes.Format(input.shape)}, kernel {kernel}, padding {p}, dilation {d})");
        for (int j = 0; j < win.OutW; j++)
            if (win.WStart[j] >= win.WEnd[j])
                throw new ArgumentException($"{op}: window column {j} reads padding only (input {Shapes.Format(input.shape)}, kernel {kernel}, padding {p}, dilation {d})");
        return (x, win, x.Numel / (h * w));
    }

    // PyTorch refuses an empty plane, even in an empty batch ("non-zero size for non-batch dimensions"): a window
    // would pool nothing, and the output would be left unwritten.
    static void CheckPlaneNotEmpty(string op, Tensor input)
    {
        if (input.shape[^2] == 0 || input.shape[^1] == 0)
            throw new ArgumentException($"{op}: input {Shapes.Format(input.shape)} has an empty plane; pooling needs at least one element in each");
    }

    static int[] PoolShape(Tensor input, PoolWindows win) => [.. input.shape[..^2], win.OutH, win.OutW];

    /// <summary>Scatters g to the argmax positions, adding where windows share a maximum; recorded so double backward works.</summary>
    static Tensor MaxPoolScatter(Tensor g, IndexBuffer argmax, int[] inputShape, bool tiles2x2)
    {
        var gc = Dense(g);
        var dX = Tensor.Empty((int[])inputShape.Clone(), g.DType);
        int inPlane = inputShape[^2] * inputShape[^1], outPlane = g.shape[^2] * g.shape[^1], planes = outPlane == 0 ? 0 : g.Numel / outPlane;
        int tileWidth = tiles2x2 ? inputShape[^1] : 0;
        DTypeDispatch.Run(g.DType, new MaxPoolScatterAdd(planes, outPlane, inPlane, gc, argmax, dX, tileWidth));
        return Autograd.Record("MaxPool2dBackward", dX, [g], gg => [MaxPoolGather(gg, argmax, g.shape, tiles2x2)]);   // dL/dg = gg[argmax(window)] (gather, the adjoint of the scatter)
    }

    static Tensor MaxPoolGather(Tensor t, IndexBuffer argmax, int[] outShape, bool tiles2x2)
    {
        var tc = Dense(t);
        var o = Tensor.Empty((int[])outShape.Clone(), t.DType);
        int inPlane = t.shape[^2] * t.shape[^1], outPlane = outShape[^2] * outShape[^1], planes = outPlane == 0 ? 0 : o.Numel / outPlane;
        DTypeDispatch.Run(t.DType, new MaxPoolGatherCall(planes, outPlane, inPlane, tc, argmax, o));
        return Autograd.Record("MaxPool2dGather", o, [t], gg => [MaxPoolScatter(gg, argmax, t.shape, tiles2x2)]);    // dL/dt = gg placed at argmax(window) (scatter, the adjoint of the gather)
    }

    /// <summary>The average over each window; <paramref name="x"/> is <paramref name="input"/> made contiguous.</summary>
    static Tensor AvgPoolApply(string op, Tensor x, Tensor input, PoolWindows win)
    {
        int h = x.shape[^2], w = x.shape[^1], planes = x.Numel / (h * w);
        var o = Tensor.Empty(PoolShape(input, win), input.DType);
        DTypeDispatch.Run(x.DType, new AvgPoolCall(Adjoint: false, win, planes, h, w, x, o));
        return Autograd.Record(op, o, [input], g => [AvgPoolAdjoint(op, g, input.shape, win)]);   // dL/dX = Σ over the windows holding each element of g / count
    }

    /// <summary>Spreads each g over its window divided by the window's count; its own adjoint is the average pooling.</summary>
    static Tensor AvgPoolAdjoint(string op, Tensor g, int[] inputShape, PoolWindows win)
    {
        var gc = Dense(g);
        var dX = Tensor.Empty((int[])inputShape.Clone(), g.DType);
        int h = inputShape[^2], w = inputShape[^1], planes = dX.Numel / (h * w);
        DTypeDispatch.Run(g.DType, new AvgPoolCall(Adjoint: true, win, planes, h, w, gc, dX));
        return Autograd.Record(op + "Backward", dX, [g], gg => [AvgPoolApply(op, Dense(gg), gg, win)]);   // dL/dg = average of gg over each window
    }

    // The max-pooling kernels work plane by plane (argmax is an in-plane index), so planes split over threads.
    readonly record struct MaxPoolForward(PoolWindows Win, int Planes, int H, int W, Tensor X, Tensor O, IndexBuffer Argmax) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (win, h, w, x, o, argmax) = (Win, H, W, X, O, Argmax);
            int inPlane = h * w, outPlane = win.OutH * win.OutW;
            ParallelRanges.Run(Planes, inPlane, (p0, p1) => MaxPool2dKernel.Forward(win, p1 - p0, h, w,
                x.Span<T>().Slice(p0 * inPlane, (p1 - p0) * inPlane), o.Span<T>().Slice(p0 * outPlane, (p1 - p0) * outPlane),
                argmax.Span.Slice(p0 * outPlane, (p1 - p0) * outPlane)));
        }
    }

    readonly record struct MaxPoolScatterAdd(int Planes, int OutPlane, int InPlane, Tensor G, IndexBuffer Argmax, Tensor DX, int TileWidth) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (outPlane, inPlane, g, argmax, dX, tileWidth) = (OutPlane, InPlane, G, Argmax, DX, TileWidth);
            ParallelRanges.Run(Planes, inPlane, (p0, p1) => MaxPool2dKernel.ScatterAdd(p1 - p0, outPlane, inPlane,
                g.Span<T>().Slice(p0 * outPlane, (p1 - p0) * outPlane), argmax.Span.Slice(p0 * outPlane, (p1 - p0) * outPlane),
                dX.Span<T>().Slice(p0 * inPlane, (p1 - p0) * inPlane), tileWidth));
        }
    }

    readonly record struct MaxPoolGatherCall(int Planes, int OutPlane, int InPlane, Tensor T, IndexBuffer Argmax, Tensor O) : IDTypeAction
    {
        public void Run<TE>() where TE : unmanaged, IFloatingPointIeee754<TE>
        {
            var (outPlane, inPlane, t, argmax, o) = (OutPlane, InPlane, T, Argmax, O);
            ParallelRanges.Run(Planes, outPlane, (p0, p1) => MaxPool2dKernel.Gather(p1 - p0, outPlane, inPlane,
                t.Span<TE>().Slice(p0 * inPlane, (p1 - p0) * inPlane), argmax.Span.Slice(p0 * outPlane, (p1 - p0) * outPlane),
                o.Span<TE>().Slice(p0 * outPlane, (p1 - p0) * outPlane)));
        }
    }

    // The average pooling (from the window to its output) or its adjoint (from the output back over the window).
    readonly record struct AvgPoolCall(bool Adjoint, PoolWindows Win, int Planes, int H, int W, Tensor From, Tensor To) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (Adjoint) AvgPool2dKernel.Adjoint(Win, Planes, H, W, From.Span<T>(), To.Span<T>());
            else AvgPool2dKernel.Forward(Win, Planes, H, W, From.Span<T>(), To.Span<T>());
        }
    }
}
