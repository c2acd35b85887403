using System.Numerics;

namespace SharpGrad.Data.Transforms;

/// <summary>x ← (x − mean[c]) / std[c] for each channel c of a batch [N, C, ...] (torchvision's <c>Normalize</c>).</summary>
public sealed class Normalize : ITransform
{
    readonly double[] mean, std;

    /// <summary>Per-channel mean and std (one value each applies to every channel); std must be positive.</summary>
    public Normalize(double[] mean, double[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length == 0 || mean.Length != std.Length)
            throw new ArgumentException($"Normalize: mean ({mean.Length} values) and std ({std.Length} values) need one value per channel each");
        for (int c = 0; c < std.Length; c++)
            if (!double.IsFinite(mean[c]) || !(std[c] > 0) || !double.IsFinite(std[c]))
                throw new ArgumentException($"Normalize: channel {c} needs a finite mean and a positive std, got mean={mean[c]}, std={std[c]}");
        (this.mean, this.std) = ((double[])mean.Clone(), (double[])std.Clone());
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Rank < 2)
            throw new ArgumentException($"Normalize: expects a batch [N, C, ...], got {Shapes.Format(batch.Shape)} (rank {batch.Rank})", nameof(batch));
        int channels = batch.Shape[1];
        if (mean.Length != 1 && mean.Length != channels)
            throw new ArgumentException($"Normalize: {mean.Length} means and stds for a batch {Shapes.Format(batch.Shape)} of {channels} channels", nameof(batch));
        var x = batch.IsContiguous ? batch : batch.Contiguous();
        var y = Tensor.Empty([.. x.Shape], x.DType);
        int plane = x.Numel == 0 ? 0 : x.Numel / (x.Shape[0] * channels);
        DTypeDispatch.Run(x.DType, new Kernel(x, y, mean, std, channels, plane));
        return y;
    }

    readonly struct Kernel(Tensor input, Tensor output, double[] mean, double[] std, int channels, int plane) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> x = input.Span<T>();
            Span<T> y = output.Span<T>();
            for (int start = 0, c = 0; start < x.Length; start += plane, c = (c + 1) % channels)
            {
                int k = mean.Length == 1 ? 0 : c;
                T m = T.CreateChecked(mean[k]), s = T.CreateChecked(std[k]);
                for (int i = start; i < start + plane; i++) y[i] = (x[i] - m) / s;   // torchvision's sub then div, in the batch's dtype
            }
        }
    }
}
