namespace SharpGrad;

public static partial class F
{
    /// <summary>[*, C·r², H, W] → [*, C, H·r, W·r] (<c>torch.nn.functional.pixel_shuffle</c>): out[c, h·r + i, w·r + j] = in[c·r² + i·r + j, h, w].</summary>
    public static Tensor PixelShuffle(Tensor input, int upscaleFactor)
    {
        int r = upscaleFactor;
        if (input.Rank < 3 || r <= 0 || input.shape[^3] % (r * r) != 0)
            throw new ArgumentException($"PixelShuffle: input {Shapes.Format(input.shape)} must be [*, C·r², H, W] with r = {r} > 0 (channels divisible by {r * r})");
        int[] lead = input.shape[..^3];
        int c = input.shape[^3] / (r * r), h = input.shape[^2], w = input.shape[^1], b = lead.Aggregate(1, (p, q) => p * q);
        var x = Reshape(input, b, c, r, r, h, w);
        x = Permute(x, 0, 1, 4, 2, 5, 3);   // [b, c, h, i, w, j]
        return Reshape(x, [.. lead, c, h * r, w * r]);
    }

    /// <summary>[*, C, H·r, W·r] → [*, C·r², H, W], the inverse of <see cref="PixelShuffle"/> (<c>torch.nn.functional.pixel_unshuffle</c>).</summary>
    public static Tensor PixelUnshuffle(Tensor input, int downscaleFactor)
    {
        int r = downscaleFactor;
        if (input.Rank < 3 || r <= 0 || input.shape[^2] % r != 0 || input.shape[^1] % r != 0)
            throw new ArgumentException($"PixelUnshuffle: input {Shapes.Format(input.shape)} must be [*, C, H·r, W·r] with r = {r} > 0 dividing H and W");
        int[] lead = input.shape[..^3];
        int c = input.shape[^3], h = input.shape[^2] / r, w = input.shape[^1] / r, b = lead.Aggregate(1, (p, q) => p * q);
        var x = Reshape(input, b, c, h, r, w, r);
        x = Permute(x, 0, 1, 3, 5, 2, 4);   // [b, c, i, j, h, w]
        return Reshape(x, [.. lead, c * r * r, h, w]);
    }
}
