using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>
/// Layer normalisation over the rows of x [R, D] (D = the product of the normalised dimensions): forward
/// y = (x − μ)·rstd·γ + β with the row's μ and rstd = 1/√(σ² + ε) (biased σ²), statistics in one pass; backward, with
/// x̂ = (x − μ)·rstd and ĝ = g·γ, dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), dγ = Σ_rows g·x̂, dβ = Σ_rows g.
/// Rows are independent, so dx is split over threads by rows; dγ and dβ are column sums in one fixed order.
/// </summary>
internal static class LayerNormKernel
{
    /// <summary>y and each row's μ and rstd [R]. Empty γ, β mean 1, 0.</summary>
    public static void Forward<T>(int rows, int d, ReadOnlyMemory<T> x, ReadOnlyMemory<T> gamma, ReadOnlyMemory<T> beta, double eps,
        Memory<T> y, Memory<T> mean, Memory<T> rstd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = new Job<T>(rows, d, eps) { X = x, Gamma = gamma, Beta = beta, Y = y, Mean = mean, Rstd = rstd, IsForward = true };
        ForkJoin.Run(job, job.Parts);
    }

    /// <summary>dx, dγ, dβ from g = dL/dy (each skipped when its memory is empty; all overwritten).</summary>
    public static void Backward<T>(int rows, int d, ReadOnlyMemory<T> x, ReadOnlyMemory<T> g, ReadOnlyMemory<T> gamma,
        ReadOnlyMemory<T> mean, ReadOnlyMemory<T> rstd, Memory<T> dx, Memory<T> dGamma, Memory<T> dBeta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!dx.IsEmpty)
        {
            var job = new Job<T>(rows, d, 0) { X = x, G = g, Gamma = gamma, MeanIn = mean, RstdIn = rstd, DX = dx };
            ForkJoin.Run(job, job.Parts);
        }
        if (!dGamma.IsEmpty) ColumnSums(rows, d, x, g, mean, rstd, dGamma);
        if (!dBeta.IsEmpty) ColumnSums(rows, d, default, g, default, default, dBeta);
    }

    // out[j] = Σ_r g[r, j]·x̂[r, j] (or Σ_r g[r, j] when x is empty), rows accumulated in order; threads take blocks of columns.
    static void ColumnSums<T>(int rows, int d, ReadOnlyMemory<T> x, ReadOnlyMemory<T> g, ReadOnlyMemory<T> mean, ReadOnlyMemory<T> rstd, Memory<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ParallelRanges.RunLineBlocks(d, rows, (j0, j1) => ColumnSums(rows, d, j0, j1, x.Span, g.Span, mean.Span, rstd.Span, output.Span));
    }

    // Columns [j0, j1) of the column sums.
    static void ColumnSums<T>(int rows, int d, int j0, int j1, ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd,
        Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        output[j0..j1].Clear();
        int w = Vector<T>.Count;
        for (int r = 0; r < rows; r++)
        {
            var gr = g.Slice(r * d, d);
            if (x.IsEmpty)
            {
                int j = j0;
                for (; j + w <= j1; j += w) (new Vector<T>(output[j..]) + new Vector<T>(gr[j..])).CopyTo(output[j..]);
                for (; j < j1; j++) output[j] += gr[j];
            }
            else
            {
                var xr = x.Slice(r * d, d);
                T mu = mean[r], s = rstd[r];
                var vmu = new Vector<T>(mu);
                var vs = new Vector<T>(s);
                int j = j0;
                for (; j + w <= j1; j += w)
                    (new Vector<T>(output[j..]) + new Vector<T>(gr[j..]) * (new Vector<T>(xr[j..]) - vmu) * vs).CopyTo(output[j..]);
                for (; j < j1; j++) output[j] += gr[j] * (xr[j] - mu) * s;
            }
        }
    }

    /// <summary>
    /// The parts dx's rows split into for x [R, D]: one below 2¹⁵ elements (a small layer is not worth a second
    /// thread), else one per thread, at most one per row.
    /// </summary>
    internal static int PartsFor(int rows, int d) => (long)rows * d < 1 << 15 ? 1 : Math.Max(1, Math.Min(Threads.Count, rows));

    sealed class Job<T>(int rows, int d, double eps) : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlyMemory<T> X, G, Gamma, Beta, MeanIn, RstdIn;
        public Memory<T> Y, Mean, Rstd, DX;
        public bool IsForward;

        // Fixed at construction: Threads.Count may change meanwhile.
        public readonly int Parts = PartsFor(rows, d);

        public void Run(int part)
        {
            var (r0, r1) = ForkJoin.Range(part, Parts, rows);
            for (int r = r0; r < r1; r++)
                if (IsForward) ForwardRow(r);
                else BackwardRow(r);
        }

        // Σ(x − k) and Σ(x − k)² in one pass, shifted by the row's first element k so that the variance
        // Σ(x − k)²/D − (Σ(x − k)/D)² does not cancel the way E[x²] − μ² does when |μ| ≫ σ; accumulated in double.
        void ForwardRow(int r)
        {
            var x = X.Span.Slice(r * d, d);
            var y = Y.Span.Slice(r * d, d);
            T k = x[0];
            var shift = new Vector<T>(k);
            var vs = Vector<T>.Zero;
            var vq = Vector<T>.Zero;
            int w = Vector<T>.Count, j = 0;
            for (; j + w <= d; j += w)
            {
                var dv = new Vector<T>(x[j..]) - shift;
                vs += dv;
                vq += dv * dv;
            }
            double sum = double.CreateTruncating(Vector.Sum(vs)), squares = double.CreateTruncating(Vector.Sum(vq));
            for (; j < d; j++)
            {
                double dv = double.CreateTruncating(x[j] - k);
                sum += dv;
                squares += dv * dv;
            }
            double m = sum / d, variance = Math.Max(squares / d - m * m, 0);
            T mu = k + T.CreateTruncating(m), s = T.CreateTruncating(1 / Math.Sqrt(variance + eps));
            Mean.Span[r] = mu;
            Rstd.Span[r] = s;
            var gamma = Gamma.Span;
            var beta = Beta.Span;
            var vmu = new Vector<T>(mu);
            var vr = new Vector<T>(s);
            j = 0;
            if (gamma.IsEmpty && beta.IsEmpty)
            {
                for (; j + w <= d; j += w) ((new Vector<T>(x[j..]) - vmu) * vr).CopyTo(y[j..]);
                for (; j < d; j++) y[j] = (x[j] - mu) * s;
                return;
            }
            for (; j + w <= d; j += w)
            {
                var v = (new Vector<T>(x[j..]) - vmu) * vr;
                if (!gamma.IsEmpty) v *= new Vector<T>(gamma[j..]);
                if (!beta.IsEmpty) v += new Vector<T>(beta[j..]);
                v.CopyTo(y[j..]);
            }
            for (; j < d; j++)
            {
                var v = (x[j] - mu) * s;
                if (!gamma.IsEmpty) v *= gamma[j];
                if (!beta.IsEmpty) v += beta[j];
                y[j] = v;
            }
        }

        // dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), ĝ = g·γ; the two means in one pass, then one pass to write dx.
        void BackwardRow(int r)
        {
            var x = X.Span.Slice(r * d, d);
            var g = G.Span.Slice(r * d, d);
            var dx = DX.Span.Slice(r * d, d);
            var gamma = Gamma.Span;
            T mu = MeanIn.Span[r], s = RstdIn.Span[r];
            var vmu = new Vector<T>(mu);
            var vr = new Vector<T>(s);
            var sg = Vector<T>.Zero;
            var sgx = Vector<T>.Zero;
            int w = Vector<T>.Count, j = 0;
            for (; j + w <= d; j += w)
            {
                var gh = new Vector<T>(g[j..]);
                if (!gamma.IsEmpty) gh *= new Vector<T>(gamma[j..]);
                sg += gh;
                sgx += gh * (new Vector<T>(x[j..]) - vmu) * vr;
            }
            T sumG = Vector.Sum(sg), sumGx = Vector.Sum(sgx);
            for (; j < d; j++)
            {
                var gh = gamma.IsEmpty ? g[j] : g[j] * gamma[j];
                sumG += gh;
                sumGx += gh * (x[j] - mu) * s;
            }
            T n = T.CreateTruncating(d), meanG = sumG / n, meanGx = sumGx / n;
            var vmg = new Vector<T>(meanG);
            var vmgx = new Vector<T>(meanGx);
            j = 0;
            for (; j + w <= d; j += w)
            {
                var gh = new Vector<T>(g[j..]);
                if (!gamma.IsEmpty) gh *= new Vector<T>(gamma[j..]);
                var xh = (new Vector<T>(x[j..]) - vmu) * vr;
                ((gh - vmg - xh * vmgx) * vr).CopyTo(dx[j..]);
            }
            for (; j < d; j++)
            {
                var gh = gamma.IsEmpty ? g[j] : g[j] * gamma[j];
                dx[j] = (gh - meanG - (x[j] - mu) * s * meanGx) * s;
            }
        }
    }
}
