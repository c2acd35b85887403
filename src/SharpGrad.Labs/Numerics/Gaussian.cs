namespace SharpGrad.Labs.Numerics;

/// <summary>The normal distribution N(μ, σ²): density and Box–Muller sampling.</summary>
internal readonly record struct Gaussian(double Mean, double StdDev)
{
    public double Pdf(double x)
    {
        double z = (x - Mean) / StdDev;
        return Math.Exp(-0.5 * z * z) / (StdDev * Math.Sqrt(2 * Math.PI));
    }

    public double Sample(Random rng)
    {
        // Box–Muller; 1 − U avoids log(0).
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Mean + StdDev * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
