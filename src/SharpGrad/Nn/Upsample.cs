namespace SharpGrad.Nn;

/// <summary>
/// Resizes the spatial dims (<c>torch.nn.Upsample</c>) to <paramref name="size"/> or by <paramref name="scaleFactor"/>
/// (one entry per spatial dim, or one for all); nearest or linear/bilinear, with align_corners for the latter.
/// </summary>
public sealed class Upsample(int[]? size = null, double[]? scaleFactor = null, InterpolateMode mode = InterpolateMode.Nearest, bool alignCorners = false) : Module
{
    /// <summary>Output spatial size, or null.</summary>
    public IReadOnlyList<int>? Size { get; } = size;
    /// <summary>Multiplier per spatial dim, or null.</summary>
    public IReadOnlyList<double>? ScaleFactor { get; } = scaleFactor;
    /// <summary>Nearest or linear.</summary>
    public InterpolateMode Mode { get; } = mode;
    /// <summary>Linear modes: map corner samples onto each other instead of pixel centres.</summary>
    public bool AlignCorners { get; } = alignCorners;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        int spatial = Math.Max(1, input.Rank - 2);
        int[]? s = Size is { Count: 1 } && spatial > 1 ? Enumerable.Repeat(Size[0], spatial).ToArray() : Size?.ToArray();
        double[]? f = ScaleFactor is { Count: 1 } && spatial > 1 ? Enumerable.Repeat(ScaleFactor[0], spatial).ToArray() : ScaleFactor?.ToArray();
        return F.Interpolate(input, s, f, Mode, AlignCorners);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        string info = ScaleFactor is not null
            ? "scale_factor=" + (ScaleFactor.Count == 1 ? PyRepr.Float(ScaleFactor[0]) : PyRepr.Tuple(ScaleFactor))
            : "size=" + (Size is null ? "None" : Size.Count == 1 ? PyRepr.Int(Size[0]) : PyRepr.Tuple([.. Size]));
        // PyTorch names linear interpolation by the spatial rank, which a layer learns only from its input: three sizes
        // say trilinear, otherwise bilinear (images), the common case.
        int dims = (ScaleFactor?.Count ?? Size?.Count) ?? 1;
        return info + ", mode=" + (Mode == InterpolateMode.Nearest ? "nearest" : dims == 3 ? "trilinear" : "bilinear");
    }
}
