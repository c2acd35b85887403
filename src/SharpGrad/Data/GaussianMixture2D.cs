namespace SharpGrad.Data;

/// <summary>
/// An equal-weight mixture of isotropic 2-D Gaussians N(μₖ, σ²I), the synthetic targets of the mode-collapse
/// benchmarks (VEEGAN, Srivastava et al. 2017; PacGAN, Lin et al. 2018): <see cref="Ring8"/> and <see cref="Grid25"/>.
/// </summary>
public sealed class GaussianMixture2D
{
    readonly double[,] means;

    /// <summary>A mixture with the given means [K, 2] and common standard deviation <paramref name="sigma"/>.</summary>
    public GaussianMixture2D(string name, double[,] means, double sigma)
    {
        if (means.GetLength(0) == 0 || means.GetLength(1) != 2)
            throw new ArgumentException($"GaussianMixture2D: means must be [K, 2] with K ≥ 1, got [{means.GetLength(0)}, {means.GetLength(1)}]", nameof(means));
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "GaussianMixture2D: sigma must be positive");
        Name = name;
        this.means = (double[,])means.Clone();
        Sigma = sigma;
        MinModeDistance = SmallestPairDistance(this.means);   // the means never change: once, not per training step
    }

    /// <summary>A short name, e.g. "ring8".</summary>
    public string Name { get; }

    /// <summary>Standard deviation σ of every component.</summary>
    public double Sigma { get; }

    /// <summary>Number of modes K.</summary>
    public int ModeCount => means.GetLength(0);

    /// <summary>The mean of mode <paramref name="k"/>.</summary>
    public (double X, double Y) Mode(int k) => (means[k, 0], means[k, 1]);

    /// <summary>All means as a [K, 2] array (a copy).</summary>
    public double[,] Means => (double[,])means.Clone();

    /// <summary>The smallest distance between two means (the ring's octagon side 2·sin(π/8), the grid's step 2); ∞ for one mode.</summary>
    public double MinModeDistance { get; }

    static double SmallestPairDistance(double[,] means)
    {
        double min = double.PositiveInfinity;
        for (int i = 0; i < means.GetLength(0); i++)
            for (int j = 0; j < i; j++)
                min = Math.Min(min, Math.Sqrt((means[i, 0] - means[j, 0]) * (means[i, 0] - means[j, 0]) + (means[i, 1] - means[j, 1]) * (means[i, 1] - means[j, 1])));
        return min;
    }

    /// <summary>
    /// 8 modes on the unit circle, μₖ = (cos 2πk/8, sin 2πk/8) for k = 0..7, σ = 0.01 (VEEGAN/PacGAN "2D ring").
    /// k·2π/8 rather than a linspace over [0, 2π], which would repeat the first mode as the ninth.
    /// </summary>
    public static GaussianMixture2D Ring8(double radius = 1, double sigma = 0.01)
    {
        var m = new double[8, 2];
        for (int k = 0; k < 8; k++)
        {
            double angle = 2 * Math.PI * k / 8;
            m[k, 0] = radius * Math.Cos(angle);
            m[k, 1] = radius * Math.Sin(angle);
        }
        return new GaussianMixture2D("ring8", m, sigma);
    }

    /// <summary>25 modes on the grid {−4, −2, 0, 2, 4}², σ = 0.05 (VEEGAN/PacGAN "2D grid").</summary>
    public static GaussianMixture2D Grid25(double sigma = 0.05)
    {
        var m = new double[25, 2];
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
            {
                m[i * 5 + j, 0] = -4 + 2 * i;
                m[i * 5 + j, 1] = -4 + 2 * j;
            }
        return new GaussianMixture2D("grid25", m, sigma);
    }

    /// <summary><paramref name="n"/> samples [n, 2]: a uniformly chosen mode plus σ·N(0, I).</summary>
    public Tensor Sample(int n, Generator generator, DType dtype = DType.Float32)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, $"GaussianMixture2D.Sample: n must be positive");
        var x = new double[n * 2];
        for (int i = 0; i < n; i++)
        {
            int k = generator.NextInt(ModeCount);
            x[2 * i] = means[k, 0] + Sigma * generator.NextGaussian();
            x[2 * i + 1] = means[k, 1] + Sigma * generator.NextGaussian();
        }
        return Tensor.FromArray(x, [n, 2], dtype);
    }

    /// <summary>The index of the mode nearest to (x, y) (Euclidean distance), and that distance.</summary>
    public (int Mode, double Distance) Nearest(double x, double y)
    {
        int best = 0;
        double bestSq = double.PositiveInfinity;
        for (int k = 0; k < ModeCount; k++)
        {
            double dx = x - means[k, 0], dy = y - means[k, 1], sq = dx * dx + dy * dy;
            if (sq < bestSq) { bestSq = sq; best = k; }
        }
        return (best, Math.Sqrt(bestSq));
    }
}
