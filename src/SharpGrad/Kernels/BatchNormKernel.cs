using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SharpGrad.Kernels;

/// <summary>
/// Batch normalisation in training mode over x [N, C, S] (S = the product of the dimensions after C), per channel:
/// forward y = (x − μ)·γ/√(σ² + ε) + β with the batch's μ and biased σ²; backward, with x̂ = (x − μ)/√(σ² + ε) and M = N·S,
/// dβ = Σ g, dγ = Σ g·x̂, dx = γ/√(σ² + ε)·(g − Σg/M − x̂·Σ(g·x̂)/M). Channels are independent, so they are split
/// over threads; each channel's sums run in one fixed order (rows of S, accumulated in double).
/// </summary>
internal static class BatchNormKernel
{
    // Rows shorter than this go through scalar loops: a vectorised call per one-element row (BatchNorm1d) costs more.
    const int RowThreshold = 16;

    /// <summary>y, and the batch's mean and biased variance [C]. Empty γ, β mean 1, 0.</summary>
    public static void Forward<T>(int n, int c, int s, ReadOnlyMemory<T> x, ReadOnlyMemory<T> gamma, ReadOnlyMemory<T> beta, double eps,
        Memory<T> y, Memory<T> mean, Memory<T> variance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = new Job<T>(n, c, s, eps) { X = x, Gamma = gamma, Beta = beta, Y = y, Mean = mean, Variance = variance, IsForward = true };
        ForkJoin.Run(job, job.Parts);
    }

    /// <summary>dx, dγ, dβ from g = dL/dy (each skipped when its memory is empty; all overwritten).</summary>
    public static void Backward<T>(int n, int c, int s, ReadOnlyMemory<T> x, ReadOnlyMemory<T> g, ReadOnlyMemory<T> gamma,
        ReadOnlyMemory<T> mean, ReadOnlyMemory<T> variance, double eps, Memory<T> dx, Memory<T> dGamma, Memory<T> dBeta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = new Job<T>(n, c, s, eps) { X = x, G = g, Gamma = gamma, Mean = MemoryMarshal.AsMemory(mean), Variance = MemoryMarshal.AsMemory(variance), DX = dx, DGamma = dGamma, DBeta = dBeta };
        ForkJoin.Run(job, job.Parts);
    }

    sealed class Job<T>(int n, int c, int s, double eps) : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlyMemory<T> X, G, Gamma, Beta;
        public Memory<T> Y, Mean, Variance, DX, DGamma, DBeta;
        public bool IsForward;

        // Small layers are not worth a second thread.
        public int Parts => (long)n * c * s < 1 << 15 ? 1 : Math.Max(1, Math.Min(Threads.Count, c));

        public void Run(int part)
        {
            int c0 = (int)((long)part * c / Parts), c1 = (int)((long)(part + 1) * c / Parts);
            using var row = Scratch<T>.Rent(s);
            for (int ch = c0; ch < c1; ch++)
                if (IsForward) ForwardChannel(ch, row.Span);
                else BackwardChannel(ch);
        }

        double Sum(ReadOnlySpan<T> v, int ch, Span<T> scratch, double shift, bool squares)
        {
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                var r = v.Slice((i * c + ch) * s, s);
                if (s >= RowThreshold)
                {
                    if (!squares) total += double.CreateTruncating(TensorPrimitives.Sum(r));
                    else
                    {
                        TensorPrimitives.Subtract(r, T.CreateTruncating(shift), scratch);
                        total += double.CreateTruncating(TensorPrimitives.SumOfSquares((ReadOnlySpan<T>)scratch));
                    }
                }
                else
                    foreach (var e in r)
                    {
                        double d = double.CreateTruncating(e) - shift;
                        total += squares ? d * d : d;
                    }
            }
            return total;
        }

        void ForwardChannel(int ch, Span<T> scratch)
        {
            var x = X.Span;
            double m = n * (double)s;
            double mu = Sum(x, ch, scratch, 0, false) / m;
            double sigma2 = Sum(x, ch, scratch, mu, true) / m;   // two passes: E[x²] − μ² cancels badly in float
            Mean.Span[ch] = T.CreateTruncating(mu);
            Variance.Span[ch] = T.CreateTruncating(sigma2);
            double gamma = Gamma.IsEmpty ? 1 : double.CreateTruncating(Gamma.Span[ch]), beta = Beta.IsEmpty ? 0 : double.CreateTruncating(Beta.Span[ch]);
            double scale = gamma / Math.Sqrt(sigma2 + eps);
            T a = T.CreateTruncating(scale), b = T.CreateTruncating(beta - mu * scale);   // y = a·x + b
            var y = Y.Span;
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * s;
                if (s >= RowThreshold)
                {
                    var yr = y.Slice(at, s);
                    TensorPrimitives.Multiply(x.Slice(at, s), a, yr);
                    TensorPrimitives.Add(yr, b, yr);
                }
                else for (int k = at; k < at + s; k++) y[k] = a * x[k] + b;
            }
        }

        void BackwardChannel(int ch)
        {
            ReadOnlySpan<T> x = X.Span, g = G.Span;
            double m = n * (double)s, mu = double.CreateTruncating(Mean.Span[ch]);
            double invStd = 1 / Math.Sqrt(double.CreateTruncating(Variance.Span[ch]) + eps);
            double sumG = 0, sumGX = 0;
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * s;
                if (s >= RowThreshold)
                {
                    var gr = g.Slice(at, s);
                    double rowG = double.CreateTruncating(TensorPrimitives.Sum(gr));
                    sumG += rowG;
                    sumGX += double.CreateTruncating(TensorPrimitives.Dot(gr, x.Slice(at, s))) - mu * rowG;   // Σ g·(x − μ)
                }
                else
                    for (int k = at; k < at + s; k++)
                    {
                        double gk = double.CreateTruncating(g[k]);
                        sumG += gk;
                        sumGX += gk * (double.CreateTruncating(x[k]) - mu);
                    }
            }
            if (!DBeta.IsEmpty) DBeta.Span[ch] = T.CreateTruncating(sumG);
            if (!DGamma.IsEmpty) DGamma.Span[ch] = T.CreateTruncating(sumGX * invStd);   // Σ g·x̂
            if (DX.IsEmpty) return;
            // dx = A·g + B·x + C0, with A = γ/σ̂, B = −γ·Σ(g·(x − μ))/(M·σ̂³), C0 = −A·Σg/M − B·μ
            double gamma = Gamma.IsEmpty ? 1 : double.CreateTruncating(Gamma.Span[ch]);
            double a = gamma * invStd, bx = -gamma * invStd * invStd * invStd * sumGX / m, c0 = -a * sumG / m - bx * mu;
            T ta = T.CreateTruncating(a), tb = T.CreateTruncating(bx), tc = T.CreateTruncating(c0);
            var dx = DX.Span;
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * s;
                if (s >= RowThreshold)
                {
                    var d = dx.Slice(at, s);
                    TensorPrimitives.Multiply(x.Slice(at, s), tb, d);
                    TensorPrimitives.Add(d, tc, d);
                    TensorPrimitives.MultiplyAdd(g.Slice(at, s), ta, d, d);
                }
                else for (int k = at; k < at + s; k++) dx[k] = ta * g[k] + (tb * x[k] + tc);
            }
        }
    }
}
