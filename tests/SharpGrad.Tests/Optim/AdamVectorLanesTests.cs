using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// Adam and AdamW on parameters wider than one 512-bit vector: every lane of the vector loop and every element of the
/// scalar tail follows the assignment's rule, computed here element by element in double.
/// </summary>
public class AdamVectorLanesTests
{
    // 19 elements: float64 runs two 8-lane vectors and a tail of 3, float32 one 16-lane vector and a tail of 3.
    const int N = 19;

    // A gradient that differs per element and per step, with both signs: g_i(t) = sin(0.7·i + 0.3·t)·(1 + i/10).
    static double Gradient(int i, int t) => Math.Sin(0.7 * i + 0.3 * t) * (1 + i / 10.0);

    public static TheoryData<string, bool> Cases => new()
    {
        { "adam", false }, { "adam", true },
        { "adam_l2", false }, { "adam_l2", true },
        { "amsgrad", false }, { "amsgrad", true },
        { "adamw", false }, { "adamw", true },
        { "uncorrected", false }, { "uncorrected", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_lane_and_the_tail_follow_the_rule(string name, bool float32)
    {
        const double lr = 0.05, b1 = 0.8, b2 = 0.95, eps = 1e-6, lambda = 0.1;
        bool l2 = name == "adam_l2", decoupled = name == "adamw", amsgrad = name == "amsgrad", corrected = name != "uncorrected";
        double[] theta0 = Enumerable.Range(0, N).Select(i => 0.5 - 0.05 * i).ToArray();
        var dtype = float32 ? DType.Float32 : DType.Float64;
        var p = Tensor.FromArray(theta0, [N], dtype, requiresGrad: true);
        Optimizer opt = decoupled
            ? new AdamW([p], lr, b1, b2, eps, weightDecay: lambda)
            : new Adam([p], lr, b1, b2, eps, weightDecay: l2 ? lambda : 0, amsgrad: amsgrad, biasCorrection: corrected);

        double[] theta = (double[])theta0.Clone(), m = new double[N], v = new double[N], vMax = new double[N];
        for (int t = 1; t <= 12; t++)
        {
            var g = Enumerable.Range(0, N).Select(i => Gradient(i, t)).ToArray();
            p.Grad = Tensor.FromArray(g, [N], dtype);
            opt.Step();
            double c1 = corrected ? 1 - Math.Pow(b1, t) : 1, c2 = corrected ? 1 - Math.Pow(b2, t) : 1;
            for (int i = 0; i < N; i++)
            {
                double gi = g[i];
                if (decoupled) theta[i] *= 1 - lr * lambda;     // AdamW: θ ← θ(1 − αλ)
                if (l2) gi += lambda * theta[i];                // Adam: g ← g + λθ
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                vMax[i] = Math.Max(vMax[i], v[i]);
                double vUsed = amsgrad ? vMax[i] : v[i];
                theta[i] -= lr * (m[i] / c1) / (Math.Sqrt(vUsed / c2) + eps);
            }
            // float64 agrees to rounding; float32 to its own rounding over 12 steps.
            double tol = float32 ? 2e-5 : 1e-13;
            Assert.Equal(theta, p.ToArray(), new Near(tol));
        }
    }
}
