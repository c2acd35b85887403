using System.Numerics;
using System.Runtime.InteropServices;

namespace SharpGrad.Kernels;

/// <summary>
/// Batch normalisation in training mode over x [N, C, S] (S = the product of the dimensions after C), per channel:
/// forward y = (x − μ)·γ/√(σ² + ε) + β with the batch's μ and biased σ²; backward, with x̂ = (x − μ)/√(σ² + ε) and M = N·S,
/// dβ = Σ g, dγ = Σ g·x̂, dx = γ/√(σ² + ε)·(g − Σg/M − x̂·Σ(g·x̂)/M). Channels are independent, so they are split
/// over threads; each channel's sums run in one fixed order (vector lanes per row of S, rows accumulated in double), two passes
/// over the data each way.
/// </summary>
internal static class BatchNormKernel
{
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

    /// <summary>
    /// The parts a call over x [N, C, S] splits into: one below 2¹⁵ elements (a small layer is not worth a second
    /// thread), else one per thread, at most one per channel.
    /// </summary>
    internal static int PartsFor(int n, int c, int s) => (long)n * c * s < 1 << 15 ? 1 : Math.Max(1, Math.Min(Threads.Count, c));

    sealed class Job<T>(int n, int c, int s, double eps) : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlyMemory<T> X, G, Gamma, Beta;
        public Memory<T> Y, Mean, Variance, DX, DGamma, DBeta;
        public bool IsForward;

        // Fixed at construction: Threads.Count may change meanwhile.
        public readonly int Parts = PartsFor(n, c, s);

        public void Run(int part)
        {
            var (c0, c1) = ForkJoin.Range(part, Parts, c);
            if (s == 1)
            {
                if (IsForward) ForwardRows(c0, c1);
                else BackwardRows(c0, c1);
                return;
            }
            for (int ch = c0; ch < c1; ch++)
                if (IsForward) ForwardChannel(ch);
                else BackwardChannel(ch);
        }

        // Σ(x − k) and Σ(x − k)² over the channel in one pass, shifted by its first element k so that the variance
        // Σ(x − k)²/M − (Σ(x − k)/M)² does not cancel the way E[x²] − μ² does when |μ| ≫ σ.
        (double sum, double squares) ShiftedSums(ReadOnlySpan<T> x, int ch, T k)
        {
            double sum = 0, squares = 0;
            var shift = new Vector<T>(k);
            for (int i = 0; i < n; i++)
            {
                var r = x.Slice((i * c + ch) * s, s);
                var vs = Vector<T>.Zero;
                var vq = Vector<T>.Zero;
                int j = 0;
                for (; j + Vector<T>.Count <= r.Length; j += Vector<T>.Count)
                {
                    var d = new Vector<T>(r[j..]) - shift;
                    vs += d;
                    vq += d * d;
                }
                double rowSum = double.CreateTruncating(Vector.Sum(vs)), rowSquares = double.CreateTruncating(Vector.Sum(vq));
                for (; j < r.Length; j++)
                {
                    double d = double.CreateTruncating(r[j] - k);
                    rowSum += d;
                    rowSquares += d * d;
                }
                sum += rowSum;
                squares += rowSquares;
            }
            return (sum, squares);
        }

        // o = a·u + b·v + c0 over every row of the channel (v empty: o = a·u + c0), one pass.
        void Affine(ReadOnlySpan<T> u, ReadOnlySpan<T> v, Span<T> o, int ch, T a, T b, T c0)
        {
            Vector<T> va = new(a), vb = new(b), vc = new(c0);
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * s, j = 0;
                var ur = u.Slice(at, s);
                var orow = o.Slice(at, s);
                if (v.IsEmpty)
                {
                    for (; j + Vector<T>.Count <= s; j += Vector<T>.Count) (va * new Vector<T>(ur[j..]) + vc).CopyTo(orow[j..]);
                    for (; j < s; j++) orow[j] = a * ur[j] + c0;
                }
                else
                {
                    var vr = v.Slice(at, s);
                    for (; j + Vector<T>.Count <= s; j += Vector<T>.Count)
                        (va * new Vector<T>(ur[j..]) + (vb * new Vector<T>(vr[j..]) + vc)).CopyTo(orow[j..]);
                    for (; j < s; j++) orow[j] = a * ur[j] + (b * vr[j] + c0);
                }
            }
        }

        void ForwardChannel(int ch)
        {
            var x = X.Span;
            double m = n * (double)s;
            T k = x[ch * s];
            var (sum, squares) = ShiftedSums(x, ch, k);
            double mu = double.CreateTruncating(k) + sum / m;
            double sigma2 = Math.Max(0, squares / m - (sum / m) * (sum / m));
            Mean.Span[ch] = T.CreateTruncating(mu);
            Variance.Span[ch] = T.CreateTruncating(sigma2);
            double gamma = Gamma.IsEmpty ? 1 : double.CreateTruncating(Gamma.Span[ch]), beta = Beta.IsEmpty ? 0 : double.CreateTruncating(Beta.Span[ch]);
            double scale = gamma / Math.Sqrt(sigma2 + eps);
            Affine(x, default, Y.Span, ch, T.CreateTruncating(scale), T.Zero, T.CreateTruncating(beta - mu * scale));   // y = scale·x + (β − μ·scale)
        }

        // S = 1 ([N, C], BatchNorm1d after a Linear): a channel's values are C apart, so walking one channel at a time
        // touches a cache line per value and pays a row's vector setup per scalar. These walk the rows once for the
        // part's channels [c0, c1) instead, with each channel's sums in the same order and precision as
        // ForwardChannel/BackwardChannel (whose vector loops do not run when S = 1), so the results are bit-identical.
        void ForwardRows(int c0, int c1)
        {
            ReadOnlySpan<T> x = X.Span;
            int w = c1 - c0;
            double m = n;
            Span<double> sum = w <= 256 ? stackalloc double[w] : new double[w];
            Span<double> squares = w <= 256 ? stackalloc double[w] : new double[w];
            sum.Clear();
            squares.Clear();
            ReadOnlySpan<T> k = x.Slice(c0, w);   // the shift: each channel's first element, as in ShiftedSums
            for (int i = 0; i < n; i++)
            {
                var r = x.Slice(i * c + c0, w);
                int j = 0;
                if (typeof(T) == typeof(float))
                {
                    // Widening the float difference to double lanes does per lane what the scalar loop does.
                    ReadOnlySpan<float> rf = MemoryMarshal.Cast<T, float>(r), kf = MemoryMarshal.Cast<T, float>(k);
                    for (; j + Vector<float>.Count <= w; j += Vector<float>.Count)
                    {
                        Vector.Widen(new Vector<float>(rf[j..]) - new Vector<float>(kf[j..]), out var lo, out var hi);
                        int h = j + Vector<double>.Count;
                        (new Vector<double>(sum[j..]) + lo).CopyTo(sum[j..]);
                        (new Vector<double>(sum[h..]) + hi).CopyTo(sum[h..]);
                        (new Vector<double>(squares[j..]) + lo * lo).CopyTo(squares[j..]);
                        (new Vector<double>(squares[h..]) + hi * hi).CopyTo(squares[h..]);
                    }
                }
                for (; j < w; j++)
                {
                    double d = double.CreateTruncating(r[j] - k[j]);
                    sum[j] += d;
                    squares[j] += d * d;
                }
            }
            Span<T> a = w <= 256 ? stackalloc T[w] : new T[w], b = w <= 256 ? stackalloc T[w] : new T[w];
            for (int j = 0; j < w; j++)
            {
                int ch = c0 + j;
                double mu = double.CreateTruncating(k[j]) + sum[j] / m;
                double sigma2 = Math.Max(0, squares[j] / m - (sum[j] / m) * (sum[j] / m));
                Mean.Span[ch] = T.CreateTruncating(mu);
                Variance.Span[ch] = T.CreateTruncating(sigma2);
                double gamma = Gamma.IsEmpty ? 1 : double.CreateTruncating(Gamma.Span[ch]), beta = Beta.IsEmpty ? 0 : double.CreateTruncating(Beta.Span[ch]);
                double scale = gamma / Math.Sqrt(sigma2 + eps);
                a[j] = T.CreateTruncating(scale);
                b[j] = T.CreateTruncating(beta - mu * scale);
            }
            var y = Y.Span;
            for (int i = 0; i < n; i++)
            {
                var r = x.Slice(i * c + c0, w);
                var o = y.Slice(i * c + c0, w);
                int j = 0;
                for (; j + Vector<T>.Count <= w; j += Vector<T>.Count)
                    (new Vector<T>(a[j..]) * new Vector<T>(r[j..]) + new Vector<T>(b[j..])).CopyTo(o[j..]);
                for (; j < w; j++) o[j] = a[j] * r[j] + b[j];
            }
        }

        void BackwardRows(int c0, int c1)
        {
            ReadOnlySpan<T> x = X.Span, g = G.Span;
            int w = c1 - c0;
            double m = n;
            Span<double> mu = w <= 256 ? stackalloc double[w] : new double[w];
            Span<double> sumG = w <= 256 ? stackalloc double[w] : new double[w];
            Span<double> sumGX = w <= 256 ? stackalloc double[w] : new double[w];
            sumG.Clear();
            sumGX.Clear();
            for (int j = 0; j < w; j++) mu[j] = double.CreateTruncating(Mean.Span[c0 + j]);
            for (int i = 0; i < n; i++)
            {
                var gr = g.Slice(i * c + c0, w);
                var xr = x.Slice(i * c + c0, w);
                int j = 0;
                if (typeof(T) == typeof(float))
                {
                    ReadOnlySpan<float> gf = MemoryMarshal.Cast<T, float>(gr), xf = MemoryMarshal.Cast<T, float>(xr);
                    for (; j + Vector<float>.Count <= w; j += Vector<float>.Count)
                    {
                        Vector.Widen(new Vector<float>(gf[j..]), out var glo, out var ghi);
                        Vector.Widen(new Vector<float>(xf[j..]), out var xlo, out var xhi);
                        int h = j + Vector<double>.Count;
                        (new Vector<double>(sumG[j..]) + glo).CopyTo(sumG[j..]);
                        (new Vector<double>(sumG[h..]) + ghi).CopyTo(sumG[h..]);
                        (new Vector<double>(sumGX[j..]) + glo * (xlo - new Vector<double>(mu[j..]))).CopyTo(sumGX[j..]);
                        (new Vector<double>(sumGX[h..]) + ghi * (xhi - new Vector<double>(mu[h..]))).CopyTo(sumGX[h..]);
                    }
                }
                for (; j < w; j++)
                {
                    double gk = double.CreateTruncating(gr[j]);
                    sumG[j] += gk;
                    sumGX[j] += gk * (double.CreateTruncating(xr[j]) - mu[j]);
                }
            }
            Span<T> a = w <= 256 ? stackalloc T[w] : new T[w], bx = w <= 256 ? stackalloc T[w] : new T[w], c0s = w <= 256 ? stackalloc T[w] : new T[w];
            for (int j = 0; j < w; j++)
            {
                int ch = c0 + j;
                double invStd = 1 / Math.Sqrt(double.CreateTruncating(Variance.Span[ch]) + eps);
                if (!DBeta.IsEmpty) DBeta.Span[ch] = T.CreateTruncating(sumG[j]);
                if (!DGamma.IsEmpty) DGamma.Span[ch] = T.CreateTruncating(sumGX[j] * invStd);
                double gamma = Gamma.IsEmpty ? 1 : double.CreateTruncating(Gamma.Span[ch]);
                double aj = gamma * invStd, bj = -gamma * invStd * invStd * invStd * sumGX[j] / m;
                a[j] = T.CreateTruncating(aj);
                bx[j] = T.CreateTruncating(bj);
                c0s[j] = T.CreateTruncating(-aj * sumG[j] / m - bj * mu[j]);
            }
            if (DX.IsEmpty) return;
            var dx = DX.Span;
            for (int i = 0; i < n; i++)
            {
                var gr = g.Slice(i * c + c0, w);
                var xr = x.Slice(i * c + c0, w);
                var o = dx.Slice(i * c + c0, w);
                int j = 0;
                for (; j + Vector<T>.Count <= w; j += Vector<T>.Count)
                    (new Vector<T>(a[j..]) * new Vector<T>(gr[j..]) + (new Vector<T>(bx[j..]) * new Vector<T>(xr[j..]) + new Vector<T>(c0s[j..]))).CopyTo(o[j..]);
                for (; j < w; j++) o[j] = a[j] * gr[j] + (bx[j] * xr[j] + c0s[j]);
            }
        }

        void BackwardChannel(int ch)
        {
            ReadOnlySpan<T> x = X.Span, g = G.Span;
            double m = n * (double)s, mu = double.CreateTruncating(Mean.Span[ch]);
            double invStd = 1 / Math.Sqrt(double.CreateTruncating(Variance.Span[ch]) + eps);
            double sumG = 0, sumGX = 0;   // Σ g and Σ g·(x − μ), one pass over both
            var vmu = new Vector<T>(T.CreateTruncating(mu));
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * s, j = 0;
                ReadOnlySpan<T> gr = g.Slice(at, s), xr = x.Slice(at, s);
                var vg = Vector<T>.Zero;
                var vgx = Vector<T>.Zero;
                for (; j + Vector<T>.Count <= s; j += Vector<T>.Count)
                {
                    var gv = new Vector<T>(gr[j..]);
                    vg += gv;
                    vgx += gv * (new Vector<T>(xr[j..]) - vmu);
                }
                double rowG = double.CreateTruncating(Vector.Sum(vg)), rowGX = double.CreateTruncating(Vector.Sum(vgx));
                for (; j < s; j++)
                {
                    double gk = double.CreateTruncating(gr[j]);
                    rowG += gk;
                    rowGX += gk * (double.CreateTruncating(xr[j]) - mu);
                }
                sumG += rowG;
                sumGX += rowGX;
            }
            if (!DBeta.IsEmpty) DBeta.Span[ch] = T.CreateTruncating(sumG);
            if (!DGamma.IsEmpty) DGamma.Span[ch] = T.CreateTruncating(sumGX * invStd);   // Σ g·x̂
            if (DX.IsEmpty) return;
            // dx = A·g + B·x + C0, with A = γ/σ̂, B = −γ·Σ(g·(x − μ))/(M·σ̂³), C0 = −A·Σg/M − B·μ
            double gamma = Gamma.IsEmpty ? 1 : double.CreateTruncating(Gamma.Span[ch]);
            double a = gamma * invStd, bx = -gamma * invStd * invStd * invStd * sumGX / m, c0 = -a * sumG / m - bx * mu;
            Affine(g, x, DX.Span, ch, T.CreateTruncating(a), T.CreateTruncating(bx), T.CreateTruncating(c0));
        }
    }
}
