using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

/// <summary>
/// The two rearrangements the closed-form convolution gradients need, as differentiable ops on [N, C, H, W]:
/// spreading dL/dO apart and padding it (for stride and the "full" convolution) and rotating a kernel by 180°.
/// </summary>
internal static class ConvLayout
{
    /// <summary>
    /// Zeros of [N, C, height, width] with t[n, c, i, j] written at (top + stepH·i, left + stepW·j): a step s inserts
    /// s − 1 zeros between entries (dilation of dL/dO), top/left and the size give the zero padding.
    /// </summary>
    public static Tensor SpreadAndPad(Tensor t, int height, int width, int top, int left, int stepH, int stepW)
    {
        int rows = t.shape[2], cols = t.shape[3];
        if (top < 0 || left < 0 || (rows > 0 && top + stepH * (rows - 1) >= height) || (cols > 0 && left + stepW * (cols - 1) >= width))
            throw new ArgumentException($"internal: SpreadAndPad of {Shapes.Format(t.shape)} at ({top}, {left}) step ({stepH}, {stepW}) does not fit {height}x{width}");
        var o = Tensor.Zeros([t.shape[0], t.shape[1], height, width], t.DType);
        int[] strides = [o.strides[0], o.strides[1], o.strides[2] * stepH, o.strides[3] * stepW];
        int offset = top * o.strides[2] + left * o.strides[3];
        F.StridedCopy((int[])t.shape.Clone(), t, t.strides, o, offset, strides);
        // The adjoint of placing entries is reading them back: a strided slice.
        return Autograd.Record("SpreadAndPad", o, [t], g =>                  // dL/dt = g[.., top::stepH, left::stepW]
            [F.Slice(F.Slice(g, 2, top, top + stepH * (rows - 1) + 1, stepH), 3, left, left + stepW * (cols - 1) + 1, stepW)]);
    }

    /// <summary>Each [H, W] plane turned by 180°: o[.., m, n] = t[.., H−1−m, W−1−n] (the flat plane reversed).</summary>
    public static Tensor Rotate180(Tensor t)
    {
        var o = F.CopyKernel(F.Dense(t), t.DType);
        int plane = t.shape[^2] * t.shape[^1];
        DTypeDispatch.Run(t.DType, new ReversePlanes(o, plane));
        return Autograd.Record("Rotate180", o, [t], g => [Rotate180(g)]);   // dL/dt = rot180(g): the rotation is its own adjoint
    }

    // Reverses each run of `Plane` elements of O in place.
    readonly record struct ReversePlanes(Tensor O, int Plane) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var all = O.Span<T>();
            for (int at = 0; Plane > 0 && at < all.Length; at += Plane) all.Slice(at, Plane).Reverse();
        }
    }
}
