namespace SharpGrad;

/// <summary>How <see cref="F.Interpolate"/> computes a sample between input positions.</summary>
public enum InterpolateMode
{
    /// <summary>The input sample at floor(dst · in/out).</summary>
    Nearest,
    /// <summary>Linear in each spatial dim (PyTorch's linear for 1 spatial dim, bilinear for 2).</summary>
    Linear,
}

public static partial class F
{
    /// <summary>
    /// Resizes the spatial dims (all dims after [N, C]) as <c>torch.nn.functional.interpolate</c>, to <paramref name="size"/>
    /// or by <paramref name="scaleFactor"/> (output floor(in · s), sampled with scale 1/s as PyTorch does when
    /// recompute_scale_factor is not set). Linear is separable: one interpolation per spatial dim.
    /// </summary>
    public static Tensor Interpolate(Tensor input, int[]? size = null, double[]? scaleFactor = null, InterpolateMode mode = InterpolateMode.Nearest,
        bool alignCorners = false)
    {
        int spatial = input.Rank - 2;
        if (spatial < 1)
            throw new ArgumentException($"Interpolate: input must be [N, C, spatial...], got {Shapes.Format(input.shape)}");
        if ((size is null) == (scaleFactor is null))
            throw new ArgumentException("Interpolate: give exactly one of size and scaleFactor");
        if ((size?.Length ?? scaleFactor!.Length) != spatial)
            throw new ArgumentException($"Interpolate: {(size is null ? "scaleFactor" : "size")} needs {spatial} entries for input {Shapes.Format(input.shape)}");
        if (mode == InterpolateMode.Nearest && alignCorners)
            throw new ArgumentException("Interpolate: alignCorners applies to linear modes only");
        var x = input;
        for (int k = 0; k < spatial; k++)
        {
            int d = k + 2, inSize = input.shape[d];
            double? scale = scaleFactor?[k];
            if (scale is double s && !(s > 0))
                throw new ArgumentOutOfRangeException(nameof(scaleFactor), $"Interpolate: scale factor {s} must be positive");
            int outSize = size?[k] ?? (int)Math.Floor(inSize * scale!.Value);
            if (outSize <= 0 || (inSize == 0 && outSize > 0))
                throw new ArgumentException($"Interpolate: dim {d} of input {Shapes.Format(input.shape)} cannot be resized to {outSize}");
            x = mode == InterpolateMode.Nearest ? ResizeNearest(x, d, inSize, outSize, scale) : ResizeLinear(x, d, inSize, outSize, scale, alignCorners);
        }
        return x;
    }

    // PyTorch's nearest_idx: src = min(floor(dst · scale), in − 1), in float arithmetic, scale = 1/s or in/out.
    static Tensor ResizeNearest(Tensor x, int d, int inSize, int outSize, double? scale)
    {
        var index = new int[outSize];
        float step = scale is double s ? (float)(1 / s) : (float)inSize / outSize;
        for (int o = 0; o < outSize; o++)
            index[o] = outSize == inSize ? o : Math.Min((int)MathF.Floor(o * step), inSize - 1);
        return IndexSelect("Interpolate", x, d, index, skipGrad: -1);
    }

    // PyTorch's area_pixel_compute_source_index: align_corners maps the corner samples onto each other,
    // src = dst·(in − 1)/(out − 1); otherwise the pixel centres, src = max(0, (dst + ½)·scale − ½).
    // out = x[i₀]·(1 − λ) + x[i₁]·λ with i₀ = ⌊src⌋, i₁ = min(i₀ + 1, in − 1), λ = src − i₀.
    static Tensor ResizeLinear(Tensor x, int d, int inSize, int outSize, double? scale, bool alignCorners)
    {
        var i0 = new int[outSize];
        var i1 = new int[outSize];
        var w0 = new double[outSize];
        var w1 = new double[outSize];
        double step = alignCorners ? (outSize > 1 ? (double)(inSize - 1) / (outSize - 1) : 0) : scale is double s ? 1 / s : (double)inSize / outSize;
        for (int o = 0; o < outSize; o++)
        {
            double src = alignCorners ? step * o : Math.Max(0, step * (o + 0.5) - 0.5);
            i0[o] = Math.Min((int)src, inSize - 1);
            i1[o] = Math.Min(i0[o] + 1, inSize - 1);
            w1[o] = src - i0[o];
            w0[o] = 1 - w1[o];
        }
        int[] view = [.. Enumerable.Repeat(1, d), outSize, .. Enumerable.Repeat(1, x.Rank - d - 1)];
        var lo = IndexSelect("Interpolate", x, d, i0, skipGrad: -1);
        var hi = IndexSelect("Interpolate", x, d, i1, skipGrad: -1);
        return lo * Tensor.FromArray(w0, view, x.DType) + hi * Tensor.FromArray(w1, view, x.DType);
    }
}
