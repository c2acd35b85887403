namespace SharpGrad.Data;

/// <summary>
/// A 1-D mixture Σₖ wₖ N(μₖ, σₖ²) with an exact density, for the optimal-discriminator check
/// D*(x) = p_data(x) / (p_data(x) + p_g(x)).
/// </summary>
public sealed class GaussianMixture1D
{
    readonly double[] weights, means, sigmas;

    /// <summary>Components (weight, mean, standard deviation); the weights are normalised to sum to 1.</summary>
    public GaussianMixture1D(params (double Weight, double Mean, double Sigma)[] components)
    {
        if (components.Length == 0) throw new ArgumentException("GaussianMixture1D: at least one component is needed", nameof(components));
        foreach (var c in components)
        {
            if (!(c.Weight > 0)) throw new ArgumentOutOfRangeException(nameof(components), $"GaussianMixture1D: weight {c.Weight} must be positive");
            if (!(c.Sigma > 0)) throw new ArgumentOutOfRangeException(nameof(components), $"GaussianMixture1D: sigma {c.Sigma} must be positive");
        }
        double total = components.Sum(c => c.Weight);
        weights = components.Select(c => c.Weight / total).ToArray();
        means = components.Select(c => c.Mean).ToArray();
        sigmas = components.Select(c => c.Sigma).ToArray();
    }

    /// <summary>Number of components.</summary>
    public int ComponentCount => weights.Length;

    /// <summary>The density p(x) = Σₖ wₖ·exp(−(x − μₖ)²/2σₖ²)/(σₖ√2π).</summary>
    public double Density(double x)
    {
        double p = 0;
        for (int k = 0; k < weights.Length; k++)
        {
            double u = (x - means[k]) / sigmas[k];
            p += weights[k] * Math.Exp(-0.5 * u * u) / (sigmas[k] * Math.Sqrt(2 * Math.PI));
        }
        return p;
    }

    /// <summary><paramref name="n"/> samples as a column [n, 1].</summary>
    public Tensor Sample(int n, Generator generator, DType dtype = DType.Float32)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "GaussianMixture1D.Sample: n must be positive");
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u = generator.NextDouble(), cumulative = 0;
            int k = 0;
            for (; k < weights.Length - 1; k++)
            {
                cumulative += weights[k];
                if (u < cumulative) break;
            }
            x[i] = means[k] + sigmas[k] * generator.NextGaussian();
        }
        return Tensor.FromArray(x, [n, 1], dtype);
    }

    /// <summary>An interval [lo, hi] holding all but a negligible tail: every component's μ ± <paramref name="width"/>·σ.</summary>
    public (double Lo, double Hi) Support(double width = 6)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int k = 0; k < weights.Length; k++)
        {
            lo = Math.Min(lo, means[k] - width * sigmas[k]);
            hi = Math.Max(hi, means[k] + width * sigmas[k]);
        }
        return (lo, hi);
    }
}
