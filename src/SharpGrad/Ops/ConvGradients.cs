using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

/// <summary>
/// The gradients of <see cref="F.Conv2d"/> in the assignment's closed form ("Convolution in each direction"),
/// O = X ⋆ F ⇒ dL/dF = X ⋆ dL/dO and dL/dX = F ⊛ dL/dO, generalised to batches, channels, groups, stride,
/// padding and dilation. They are written with F.Conv2d itself, so they are differentiable (double backward
/// runs through them). <see cref="ViaIm2Col"/> computes the same quantities as GEMMs for the ordinary backward.
/// </summary>
internal static class ConvGradients
{
    /// <summary>
    /// dL/dF[o, c, m, n] = Σ_batch Σ_{i,j} X[c, s·i + d·m − p, s·j + d·n − p] · dL/dO[o, i, j]:
    /// the valid cross-correlation of the (padded) input with dL/dO, where dL/dO is dilated by the stride
    /// (its taps sit s apart) and the correlation steps by the forward's dilation d. The batch becomes the
    /// channel sum: X [N, C] → [C, N] and dL/dO [N, O] → [O, N], so that conv2d gives [C, O, ≥kH, ≥kW].
    /// Rows past kH are the leftover rows a stride skips; they are cropped.
    /// </summary>
    public static Tensor WeightGradClosedForm(Tensor x, Tensor dLdO, IReadOnlyList<int> weightShape, ConvArgs a)
    {
        int groups = a.Groups, cg = x.Shape[1] / groups, og = dLdO.Shape[1] / groups;
        int kh = weightShape[2], kw = weightShape[3];
        var perGroup = new Tensor[groups];
        for (int g = 0; g < groups; g++)
        {
            var xg = F.Transpose(F.Slice(x, 1, g * cg, (g + 1) * cg), 0, 1);                 // [Cg, N, H, W]
            var dOg = F.Transpose(F.Slice(dLdO, 1, g * og, (g + 1) * og), 0, 1);             // [Og, N, OH, OW]
            var corr = F.Conv2d(xg, dOg, null, stride: a.Dilation, padding: a.Padding, dilation: a.Stride);   // X ⋆ dL/dO: [Cg, Og, ≥kH, ≥kW]
            corr = F.Slice(F.Slice(corr, 2, 0, kh), 3, 0, kw);
            perGroup[g] = F.Transpose(corr, 0, 1);                                           // [Og, Cg, kH, kW]
        }
        return groups == 1 ? F.Contiguous(perGroup[0]) : F.Cat(perGroup, 0);
    }

    /// <summary>
    /// dL/dX = F ⊛ dL/dO, the full convolution: dL/dO dilated by the stride (s − 1 zeros between entries),
    /// zero-padded by d(k − 1) − p on each side (plus the leftover rows the stride skipped, at the end), then
    /// correlated with the kernel rotated by 180° (input and output channels swapped within each group) at the
    /// forward's dilation: dL/dX[c, y, x] = Σ_o Σ_{m,n} pad(dil_s(dL/dO))[o, y + d·m, x + d·n] · rot180(F)[o, c, m, n].
    /// When p > d(k − 1), the outputs that only saw padding fall outside and are cropped.
    /// </summary>
    public static Tensor InputGradClosedForm(Tensor weight, Tensor dLdO, IReadOnlyList<int> inputShape, ConvArgs a)
    {
        int groups = a.Groups, outChannels = weight.Shape[0], cg = weight.Shape[1], og = outChannels / groups;
        int kh = weight.Shape[2], kw = weight.Shape[3], h = inputShape[2], w = inputShape[3];
        // Kernel of the transposed problem: [O, Cg, kH, kW] → [C, Og, kH, kW] per group, rotated by 180°.
        var swapped = F.Reshape(F.Transpose(F.Reshape(weight, groups, og, cg, kh, kw), 1, 2), groups * cg, og, kh, kw);
        var rotated = ConvLayout.Rotate180(swapped);
        var spread = SpreadForFullConv(dLdO, h, w, kh, kw, a);
        return F.Conv2d(spread, rotated, null, stride: 1, padding: 0, dilation: a.Dilation, groups: groups);
    }

    /// <summary>dL/db[o] = Σ_{n,i,j} dL/dO[n, o, i, j].</summary>
    public static Tensor BiasGrad(Tensor dLdO) => F.Sum(dLdO, [0, 2, 3]);

    /// <summary>
    /// Places dL/dO[i, j] at (d(kH−1) − p + s·i, d(kW−1) − p + s·j) in zeros of size (H + d(kH−1)) × (W + d(kW−1)),
    /// so that a valid correlation with a d-dilated kH×kW kernel gives exactly H×W. Entries that would land
    /// outside (only when p > d(k − 1)) belong to outputs that read padding only and are dropped.
    /// </summary>
    static Tensor SpreadForFullConv(Tensor dLdO, int h, int w, int kh, int kw, ConvArgs a)
    {
        int fullH = h + a.Dilation.H * (kh - 1), fullW = w + a.Dilation.W * (kw - 1);
        int top = a.Dilation.H * (kh - 1) - a.Padding.H, left = a.Dilation.W * (kw - 1) - a.Padding.W;
        var (i0, i1) = Inside(top, a.Stride.H, dLdO.Shape[2], fullH);
        var (j0, j1) = Inside(left, a.Stride.W, dLdO.Shape[3], fullW);
        var kept = F.Slice(F.Slice(dLdO, 2, i0, i1), 3, j0, j1);
        return ConvLayout.SpreadAndPad(kept, fullH, fullW, top + a.Stride.H * i0, left + a.Stride.W * j0, a.Stride.H, a.Stride.W);
    }

    /// <summary>The indices i ∈ [lo, hi) of 0..count with 0 ≤ start + step·i &lt; size.</summary>
    static (int lo, int hi) Inside(int start, int step, int count, int size)
    {
        int lo = start >= 0 ? 0 : (-start + step - 1) / step;
        int hi = Math.Min(count, size - start <= 0 ? 0 : (size - start + step - 1) / step);
        return (Math.Min(lo, hi), hi);
    }

    /// <summary>
    /// The same gradients as GEMMs over im2col buffers, for the ordinary (not double) backward:
    /// dF = dL/dO · colsᵀ (the closed form X ⋆ dL/dO, entry by entry), dX = col2im(Fᵀ · dL/dO) (F ⊛ dL/dO),
    /// db = Σ dL/dO. <paramref name="x"/> and <paramref name="w"/> are contiguous; returns [dX, dW, db].
    /// </summary>
    public static Tensor?[] ViaIm2Col(Tensor x, Tensor w, Tensor dLdO, ConvArgs a, bool needX, bool needW, bool needB)
    {
        var g = F.Contiguous(dLdO);
        int n = x.shape[0], c = x.shape[1];
        var geometry = a.Geometry(c / a.Groups, x.shape[2], x.shape[3], w.shape[2], w.shape[3]);
        var dX = needX ? Tensor.Empty((int[])x.shape.Clone(), x.DType) : null;
        var dW = needW ? Tensor.Empty((int[])w.shape.Clone(), w.DType) : null;
        var dB = needB ? Tensor.Empty([w.shape[0]], w.DType) : null;
        DTypeDispatch.Run(x.DType, new Conv2dBackward(geometry, n, a.Groups, w.shape[0], x, w, g, dX, dW, dB));
        return [dX, dW, dB];
    }

    /// <summary>
    /// dL/dX = F ⊛ dL/dO as a value only (no graph): col2im(Fᵀ · dL/dO) when an input of <paramref name="inputShape"/>
    /// has exactly dL/dO's output size, else <see cref="InputGradClosedForm"/>. <paramref name="w"/> is contiguous.
    /// </summary>
    public static Tensor InputGradValue(Tensor w, Tensor dLdO, int[] inputShape, ConvArgs a)
    {
        using var _ = Autograd.NoGrad();
        var geometry = a.Geometry(inputShape[1] / a.Groups, inputShape[2], inputShape[3], w.shape[2], w.shape[3]);
        if (geometry.OutH != dLdO.shape[2] || geometry.OutW != dLdO.shape[3])
            return InputGradClosedForm(w, dLdO, inputShape, a);
        var dX = Tensor.Empty(inputShape, w.DType);
        DTypeDispatch.Run(w.DType, new Conv2dBackward(geometry, inputShape[0], a.Groups, w.shape[0], null, w, F.Contiguous(dLdO), dX, null, null));
        return dX;
    }

    readonly record struct Conv2dBackward(ConvGeometry Geometry, int N, int Groups, int OutChannels, Tensor? X, Tensor W, Tensor G,
        Tensor? DX, Tensor? DW, Tensor? DB) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Conv2dKernel.Backward(Geometry, N, Groups, OutChannels, X.MemoryOrEmpty<T>(), W.Memory<T>(), G.Memory<T>(),
                DX.MemoryOrEmpty<T>(), DW.MemoryOrEmpty<T>(), DB.MemoryOrEmpty<T>());
    }
}
