using SharpGrad.Labs.Numerics;

namespace SharpGrad.Labs.GanGame;

/// <summary>
/// The GAN game in one dimension with known densities: data p_data (a mixture of Gaussians) and a generator whose
/// output density p_g is known in closed form, evaluated on a fine grid so that V(D, G), D* and JSD are integrals.
/// </summary>
internal sealed class OneDimensionalGame
{
    // Wide enough that every density used here has mass < 1e-13 outside, so ∫p_data = ∫p_g = 1 on the grid.
    public const double XMin = -12, XMax = 12;
    const int GridPoints = 6001; // odd, for Simpson; h = 0.004

    public OneDimensionalGame(Gaussian[] dataModes, Func<double, double> generatorDensity, Func<Random, double> sampleGenerator, string generatorText)
    {
        DataModes = dataModes;
        GeneratorDensity = generatorDensity;
        SampleGenerator = sampleGenerator;
        GeneratorText = generatorText;
        X = Quadrature.Grid(XMin, XMax, GridPoints);
        H = (XMax - XMin) / (GridPoints - 1);
    }

    /// <summary>p_data = ½ N(−1.5, 0.5²) + ½ N(1.5, 0.5²); the generator G(z) = μ + σ z with z ~ N(0, 1), so p_g = N(μ, σ²).</summary>
    public static OneDimensionalGame WithGaussianGenerator(double mu, double sigma)
    {
        var g = new Gaussian(mu, sigma);
        return new OneDimensionalGame(DefaultData, g.Pdf, rng => mu + sigma * Noise.Sample(rng), $"G(z) = {mu} + {sigma}·z, z ~ N(0, 1)");
    }

    public static readonly Gaussian[] DefaultData = [new(-1.5, 0.5), new(1.5, 0.5)];

    /// <summary>The generator's noise p_z = N(0, 1).</summary>
    public static readonly Gaussian Noise = new(0, 1);

    public Gaussian[] DataModes { get; }

    public Func<double, double> GeneratorDensity { get; }

    public Func<Random, double> SampleGenerator { get; }

    public string GeneratorText { get; }

    public string DataText => string.Join(" + ", DataModes.Select(m => $"{1.0 / DataModes.Length:0.##}·N({m.Mean}, {m.StdDev}²)"));

    public double[] X { get; }

    public double H { get; }

    public double PData(double x) => DataModes.Sum(m => m.Pdf(x)) / DataModes.Length;

    public double PG(double x) => GeneratorDensity(x);

    public double SampleData(Random rng) => DataModes[rng.Next(DataModes.Length)].Sample(rng);

    /// <summary>D*(x) = p_data(x) / (p_data(x) + p_g(x)).</summary>
    public double DStar(double x)
    {
        double p = PData(x), q = PG(x);
        return p + q == 0 ? 0.5 : p / (p + q);
    }

    /// <summary>V(D, G) = ∫ p_data log D + p_g log(1 − D) dx, with 0·log 0 = 0.</summary>
    public double V(Func<double, double> d) =>
        Quadrature.Simpson(X.Select(x => XLogY(PData(x), d(x)) + XLogY(PG(x), 1 - d(x))).ToArray(), H);

    /// <summary>KL(p‖q) = ∫ p log(p/q) dx on the grid.</summary>
    public double KL(Func<double, double> p, Func<double, double> q) =>
        Quadrature.Simpson(X.Select(x => p(x) == 0 ? 0 : p(x) * Math.Log(p(x) / q(x))).ToArray(), H);

    /// <summary>JSD(p_data‖p_g) = ½ KL(p_data‖m) + ½ KL(p_g‖m), m = ½(p_data + p_g).</summary>
    public double JSD()
    {
        double M(double x) => 0.5 * (PData(x) + PG(x));
        return 0.5 * KL(PData, M) + 0.5 * KL(PG, M);
    }

    static double XLogY(double x, double y) => x == 0 ? 0 : x * Math.Log(y);
}
