namespace SharpGrad.Nn;

/// <summary>[*, C·r², H, W] → [*, C, H·r, W·r] (<c>torch.nn.PixelShuffle</c>).</summary>
public sealed class PixelShuffle(int upscaleFactor) : Module
{
    /// <summary>r.</summary>
    public int UpscaleFactor { get; } = upscaleFactor;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.PixelShuffle(input, UpscaleFactor);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"upscale_factor={PyRepr.Int(UpscaleFactor)}";
}

/// <summary>[*, C, H·r, W·r] → [*, C·r², H, W] (<c>torch.nn.PixelUnshuffle</c>).</summary>
public sealed class PixelUnshuffle(int downscaleFactor) : Module
{
    /// <summary>r.</summary>
    public int DownscaleFactor { get; } = downscaleFactor;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.PixelUnshuffle(input, DownscaleFactor);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"downscale_factor={PyRepr.Int(DownscaleFactor)}";
}
