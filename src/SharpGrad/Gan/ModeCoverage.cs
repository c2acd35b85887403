using SharpGrad.Data;

namespace SharpGrad.Gan;

/// <summary>
/// The mode-collapse metrics of VEEGAN (Srivastava et al. 2017, §5.1) and PacGAN (Lin et al. 2018, §5.1) for one set
/// of generator samples against a <see cref="GaussianMixture2D"/>.
/// </summary>
/// <param name="ModesCaptured">Modes that are the nearest mode of at least one high-quality sample.</param>
/// <param name="HighQualityFraction">High-quality samples / all samples, in [0, 1].</param>
/// <param name="ReverseKl">KL(q ‖ p) of the histogram q of samples over their nearest modes against the true uniform p.</param>
/// <param name="SampleCount">Number of samples evaluated.</param>
/// <param name="NearestCounts">Samples per nearest mode (the histogram q·n).</param>
/// <param name="HighQualityCounts">High-quality samples per mode.</param>
public sealed record ModeCoverage(int ModesCaptured, double HighQualityFraction, double ReverseKl, int SampleCount,
    int[] NearestCounts, int[] HighQualityCounts)
{
    /// <summary>The papers' sample count: 2500 generator samples per evaluation.</summary>
    public const int StandardSampleCount = 2500;

    /// <summary>The papers' quality radius: a sample within 3σ of its nearest mode is high-quality.</summary>
    public const double StandardRadiusInSigmas = 3;

    /// <summary>Evaluates samples [n, 2]: each goes to its nearest mode, and is high-quality within <paramref name="radiusInSigmas"/>·σ of it.</summary>
    public static ModeCoverage Evaluate(Tensor samples, GaussianMixture2D target, double radiusInSigmas = StandardRadiusInSigmas)
    {
        if (samples.Rank != 2 || samples.Shape[1] != 2 || samples.Shape[0] == 0)
            throw new ArgumentException($"ModeCoverage.Evaluate: samples must be [n, 2] with n ≥ 1, got {Shapes.Format(samples.shape)}");
        var xy = samples.ToArray();
        int n = samples.Shape[0], modes = target.ModeCount;
        var nearest = new int[modes];
        var highQuality = new int[modes];
        double radius = radiusInSigmas * target.Sigma;
        for (int i = 0; i < n; i++)
        {
            var (k, distance) = target.Nearest(xy[2 * i], xy[2 * i + 1]);
            nearest[k]++;
            if (distance <= radius) highQuality[k]++;     // NaN samples are never high-quality
        }
        // KL(q‖p) = Σ_k q_k log(q_k / p_k), p_k = 1/K; empty bins contribute 0 (0·log 0 = 0).
        double kl = 0;
        for (int k = 0; k < modes; k++)
            if (nearest[k] > 0)
            {
                double q = (double)nearest[k] / n;
                kl += q * Math.Log(q * modes);
            }
        return new ModeCoverage(highQuality.Count(c => c > 0), (double)highQuality.Sum() / n, kl, n, nearest, highQuality);
    }
}
