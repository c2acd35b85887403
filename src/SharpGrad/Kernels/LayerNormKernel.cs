using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace SharpGrad.Kernels;

/// <summary>
/// Layer normalisation over the rows of x [R, D] (D = the product of the normalised dimensions): forward
/// y = (x − μ)·rstd·γ + β with the row's μ and rstd = 1/√(σ² + ε) (biased σ²), statistics in one pass; backward, with
/// x̂ = (x − μ)·rstd and ĝ = g·γ, dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), dγ = Σ_rows g·x̂, dβ = Σ_rows g.
/// Rows are independent, so both passes are split over threads by rows; dγ and dβ are summed per fixed chunk of rows
/// (<see cref="ChunkRows"/>) in the backward's one pass, then the chunks' partial sums in order, so no sum depends on the
/// thread count.
/// </summary>
internal static class LayerNormKernel
{
    /// <summary>y and each row's μ and rstd [R]. Empty γ, β mean 1, 0.</summary>
    public static void Forward<T>(int rows, int d, ReadOnlyMemory<T> x, ReadOnlyMemory<T> gamma, ReadOnlyMemory<T> beta, double eps,
        Memory<T> y, Memory<T> mean, Memory<T> rstd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = new Job<T>(rows, d, eps, rows) { X = x, Gamma = gamma, Beta = beta, Y = y, Mean = mean, Rstd = rstd, IsForward = true };
        ForkJoin.Run(job, job.Parts);
    }

    /// <summary>
    /// dx, dγ, dβ from g = dL/dy (each skipped when its memory is empty; all overwritten), in one pass over x and g: each
    /// row is fetched once (and read twice from L1), not once for dx and once per parameter gradient.
    /// </summary>
    public static void Backward<T>(int rows, int d, ReadOnlyMemory<T> x, ReadOnlyMemory<T> g, ReadOnlyMemory<T> gamma,
        ReadOnlyMemory<T> mean, ReadOnlyMemory<T> rstd, Memory<T> dx, Memory<T> dGamma, Memory<T> dBeta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dx.IsEmpty && dGamma.IsEmpty && dBeta.IsEmpty) return;
        int chunkRows = ChunkRows(rows), chunks = (rows + chunkRows - 1) / chunkRows;
        using var partialGamma = Scratch<T>.Rent(dGamma.IsEmpty ? 0 : chunks * d);
        using var partialBeta = Scratch<T>.Rent(dBeta.IsEmpty ? 0 : chunks * d);
        var job = new Job<T>(rows, d, 0, chunks)
        {
            X = x, G = g, Gamma = gamma, MeanIn = mean, RstdIn = rstd, DX = dx,
            ChunkRows = chunkRows, PartialGamma = partialGamma.Memory, PartialBeta = partialBeta.Memory,
        };
        ForkJoin.Run(job, job.Parts);
        SumChunks(chunks, d, partialGamma.Span, dGamma.Span);
        SumChunks(chunks, d, partialBeta.Span, dBeta.Span);
    }

    /// <summary>
    /// Rows per partial sum of dγ and dβ: 64, or more once there would be over 256 chunks (their partials stay ≤ 256·D each).
    /// A function of the row count alone, never of the threads.
    /// </summary>
    internal static int ChunkRows(int rows) => Math.Max(64, (rows + 255) / 256);

    // output[j] = Σ_c partials[c·d + j], chunks in order; nothing when output is empty.
    static void SumChunks<T>(int chunks, int d, ReadOnlySpan<T> partials, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (output.IsEmpty) return;
        output.Clear();
        for (int c = 0; c < chunks; c++) TensorPrimitives.Add(output, partials.Slice(c * d, d), output);
    }

    /// <summary>
    /// The parts dx's rows split into for x [R, D]: one below 2¹⁵ elements (a small layer is not worth a second
    /// thread), else one per thread, at most one per row.
    /// </summary>
    internal static int PartsFor(int rows, int d) => (long)rows * d < 1 << 15 ? 1 : Math.Max(1, Math.Min(Threads.Count, rows));

    // items: what the parts split, rows in the forward, chunks of ChunkRows rows in the backward.
    sealed class Job<T>(int rows, int d, double eps, int items) : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlyMemory<T> X, G, Gamma, Beta, MeanIn, RstdIn;
        public Memory<T> Y, Mean, Rstd, DX, PartialGamma, PartialBeta;
        public bool IsForward;
        public int ChunkRows;

        // Fixed at construction: Threads.Count may change meanwhile.
        public readonly int Parts = Math.Min(PartsFor(rows, d), items);

        public void Run(int part)
        {
            var (i0, i1) = ForkJoin.Range(part, Parts, items);
            if (IsForward)
            {
                // Spans taken once per part: Memory<T>.Span costs about as much as a row of 128 elements takes.
                ReadOnlySpan<T> x = X.Span, gamma = Gamma.Span, beta = Beta.Span;
                Span<T> y = Y.Span, mean = Mean.Span, rstd = Rstd.Span;
                for (int r = i0; r < i1; r++) ForwardRow(r, x, gamma, beta, y, mean, rstd);
                return;
            }
            // The backward splits whole chunks, each with its own row of partial sums.
            var rowsIn = new BackwardRows(X.Span, G.Span, Gamma.Span, MeanIn.Span, RstdIn.Span, DX.Span);
            Span<T> partialGamma = PartialGamma.Span, partialBeta = PartialBeta.Span;
            for (int c = i0; c < i1; c++)
            {
                var dGamma = partialGamma.IsEmpty ? default : partialGamma.Slice(c * d, d);
                var dBeta = partialBeta.IsEmpty ? default : partialBeta.Slice(c * d, d);
                dGamma.Clear();
                dBeta.Clear();
                for (int r = c * ChunkRows; r < Math.Min(rows, (c + 1) * ChunkRows); r++) BackwardRow(r, rowsIn, dGamma, dBeta);
            }
        }

        // Σ(x − k) and Σ(x − k)² in one pass, shifted by the row's first element k so that the variance
        // Σ(x − k)²/D − (Σ(x − k)/D)² does not cancel the way E[x²] − μ² does when |μ| ≫ σ; accumulated in double.
        void ForwardRow(int r, ReadOnlySpan<T> xs, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> ys, Span<T> mean, Span<T> rstd)
        {
            var x = xs.Slice(r * d, d);
            var y = ys.Slice(r * d, d);
            ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
            ref T gr = ref MemoryMarshal.GetReference(gamma), br = ref MemoryMarshal.GetReference(beta);
            T k = x[0];
            var shift = new Vector<T>(k);
            var vs = Vector<T>.Zero;
            var vq = Vector<T>.Zero;
            int w = Vector<T>.Count, j = 0;
            for (; j + w <= d; j += w)
            {
                var dv = Vector.LoadUnsafe(ref xr, (nuint)j) - shift;
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
            mean[r] = mu;
            rstd[r] = s;
            var vmu = new Vector<T>(mu);
            var vr = new Vector<T>(s);
            j = 0;
            if (gamma.IsEmpty && beta.IsEmpty)
            {
                for (; j + w <= d; j += w) ((Vector.LoadUnsafe(ref xr, (nuint)j) - vmu) * vr).StoreUnsafe(ref yr, (nuint)j);
                for (; j < d; j++) y[j] = (x[j] - mu) * s;
                return;
            }
            for (; j + w <= d; j += w)
            {
                var v = (Vector.LoadUnsafe(ref xr, (nuint)j) - vmu) * vr;
                if (!gamma.IsEmpty) v *= Vector.LoadUnsafe(ref gr, (nuint)j);
                if (!beta.IsEmpty) v += Vector.LoadUnsafe(ref br, (nuint)j);
                v.StoreUnsafe(ref yr, (nuint)j);
            }
            for (; j < d; j++)
            {
                var v = (x[j] - mu) * s;
                if (!gamma.IsEmpty) v *= gamma[j];
                if (!beta.IsEmpty) v += beta[j];
                y[j] = v;
            }
        }

        // dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), ĝ = g·γ: the two means in one pass over the row, then one pass that writes
        // dx and adds g·x̂ and g to the chunk's partial dγ and dβ (each empty when not asked for).
        void BackwardRow(int r, in BackwardRows rowsIn, Span<T> dGamma, Span<T> dBeta)
        {
            var x = rowsIn.X.Slice(r * d, d);
            var g = rowsIn.G.Slice(r * d, d);
            var gamma = rowsIn.Gamma;
            ref T xr = ref MemoryMarshal.GetReference(x), gr = ref MemoryMarshal.GetReference(g), gmr = ref MemoryMarshal.GetReference(gamma);
            T mu = rowsIn.Mean[r], s = rowsIn.Rstd[r];
            var vmu = new Vector<T>(mu);
            var vr = new Vector<T>(s);
            int w = Vector<T>.Count, j;
            T meanG = T.Zero, meanGx = T.Zero;
            if (!rowsIn.DX.IsEmpty)
            {
                var sg = Vector<T>.Zero;
                var sgx = Vector<T>.Zero;
                for (j = 0; j + w <= d; j += w)
                {
                    var gh = Vector.LoadUnsafe(ref gr, (nuint)j);
                    if (!gamma.IsEmpty) gh *= Vector.LoadUnsafe(ref gmr, (nuint)j);
                    sg += gh;
                    sgx += gh * (Vector.LoadUnsafe(ref xr, (nuint)j) - vmu) * vr;
                }
                T sumG = Vector.Sum(sg), sumGx = Vector.Sum(sgx);
                for (; j < d; j++)
                {
                    var gh = gamma.IsEmpty ? g[j] : g[j] * gamma[j];
                    sumG += gh;
                    sumGx += gh * (x[j] - mu) * s;
                }
                T n = T.CreateTruncating(d);
                (meanG, meanGx) = (sumG / n, sumGx / n);
            }
            var dx = rowsIn.DX.IsEmpty ? default : rowsIn.DX.Slice(r * d, d);
            ref T dxr = ref MemoryMarshal.GetReference(dx), dgr = ref MemoryMarshal.GetReference(dGamma), dbr = ref MemoryMarshal.GetReference(dBeta);
            var vmg = new Vector<T>(meanG);
            var vmgx = new Vector<T>(meanGx);
            for (j = 0; j + w <= d; j += w)
            {
                var gv = Vector.LoadUnsafe(ref gr, (nuint)j);
                var xh = (Vector.LoadUnsafe(ref xr, (nuint)j) - vmu) * vr;
                if (!dx.IsEmpty)
                {
                    var gh = gamma.IsEmpty ? gv : gv * Vector.LoadUnsafe(ref gmr, (nuint)j);
                    ((gh - vmg - xh * vmgx) * vr).StoreUnsafe(ref dxr, (nuint)j);
                }
                if (!dGamma.IsEmpty) (Vector.LoadUnsafe(ref dgr, (nuint)j) + gv * xh).StoreUnsafe(ref dgr, (nuint)j);
                if (!dBeta.IsEmpty) (Vector.LoadUnsafe(ref dbr, (nuint)j) + gv).StoreUnsafe(ref dbr, (nuint)j);
            }
            for (; j < d; j++)
            {
                T xh = (x[j] - mu) * s;
                if (!dx.IsEmpty) dx[j] = ((gamma.IsEmpty ? g[j] : g[j] * gamma[j]) - meanG - xh * meanGx) * s;
                if (!dGamma.IsEmpty) dGamma[j] += g[j] * xh;
                if (!dBeta.IsEmpty) dBeta[j] += g[j];
            }
        }

        // The backward's inputs and dx as spans, taken once per part.
        readonly ref struct BackwardRows(ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<T> gamma, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd, Span<T> dx)
        {
            public readonly ReadOnlySpan<T> X = x, G = g, Gamma = gamma, Mean = mean, Rstd = rstd;
            public readonly Span<T> DX = dx;
        }
    }
}
