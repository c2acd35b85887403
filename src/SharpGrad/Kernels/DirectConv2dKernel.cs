using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SharpGrad.Kernels;

/// <summary>
/// Stride-1 convolution without an im2col matrix. Each sample's planes are copied once into zero-padded planes of
/// width Wp = W + 2p_w; on that grid a tap (c, m, n) is a fixed shift, off = c·P + d_h·m·Wp + d_w·n, so
/// O[o, q] = b[o] + Σ_r W[o, r] · src[off_r + q] at q = i·Wp + j (columns j ≥ OW are computed and dropped).
/// dL/dX is the same sum with the kernel rotated by 180° and its channels swapped, over dL/dO padded by d(k − 1) − p;
/// dL/dW[o, r] = Σ_n Σ_q dL/dO[n, o, q] · src_n[off_r + q] is its dot-product twin.
/// </summary>
/// <remarks>
/// Why: LeNet-sized layers (1 → 6 and 6 → 16 channels) make GEMMs with 6 or 16 rows, where im2col, packing and col2im
/// cost more than the arithmetic. Here nothing is copied but the padded planes, and the register blocks
/// (<see cref="DirectConvMicroKernels{T}"/>) reuse each loaded input vector for six output channels. Samples are split
/// over threads in fixed ranges; the weight gradient's per-thread sums are added in part order, so results depend
/// on the thread count only.
/// </remarks>
internal static unsafe class DirectConv2dKernel
{
    const int Outputs = 6, Width = 4;

    /// <summary>Turns the direct path off on the calling thread, so tests and benchmarks can set it beside im2col.</summary>
    [ThreadStatic] internal static bool Disabled;

    /// <summary>
    /// Whether the direct path runs: stride 1, one group, float or double, AVX-512 selected for this thread
    /// (<see cref="Gemm.Isa"/>, so forcing another variant also exercises the im2col path), and p ≤ d(k − 1), so that
    /// dL/dX's padding d(k − 1) − p is not negative.
    /// </summary>
    public static bool Supports<T>(in ConvGeometry g, int groups) =>
        (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && groups == 1 && g.StrideH == 1 && g.StrideW == 1
        && g.PadH <= g.DilationH * (g.KernelH - 1) && g.PadW <= g.DilationW * (g.KernelW - 1)
        && Gemm.Isa == KernelIsa.Avx512 && !Disabled;

    /// <summary>o [N, O, OH, OW] = conv(x [N, C, H, W], w [O, C, kH, kW]) + bias [O] (or empty).</summary>
    public static void Forward<T>(in ConvGeometry g, int batch, int outChannels,
        ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> o) where T : unmanaged, INumber<T>
    {
        var job = new ForwardJob<T>(g, batch, outChannels) { X = x, Bias = bias, O = o };
        job.PackWeights(w.Span);
        try { ForkJoin.Run(job, job.Parts); }
        finally { ArrayPool<T>.Shared.Return(job.PackedW); }
    }

    /// <summary>dX [N, C, H, W] = F ⊛ dL/dO: the forward loop over dL/dO padded by d(k − 1) − p with rot180(Wᵀ).</summary>
    public static void InputGrad<T>(in ConvGeometry g, int batch, int outChannels,
        ReadOnlyMemory<T> w, ReadOnlyMemory<T> dO, Memory<T> dX) where T : unmanaged, INumber<T>
    {
        int c = g.Channels, kh = g.KernelH, kw = g.KernelW, taps = kh * kw;
        var flipped = ArrayPool<T>.Shared.Rent(c * outChannels * taps);
        try
        {
            // flipped[c, o, m, n] = W[o, c, kH−1−m, kW−1−n]
            var src = w.Span;
            for (int o = 0; o < outChannels; o++)
                for (int ci = 0; ci < c; ci++)
                    for (int t = 0; t < taps; t++)
                        flipped[(ci * outChannels + o) * taps + t] = src[(o * c + ci) * taps + taps - 1 - t];
            var transposed = new ConvGeometry(outChannels, g.OutH, g.OutW, kh, kw, 1, 1,
                g.DilationH * (kh - 1) - g.PadH, g.DilationW * (kw - 1) - g.PadW, g.DilationH, g.DilationW);
            Forward(transposed, batch, c, dO, flipped.AsMemory(0, c * outChannels * taps), ReadOnlyMemory<T>.Empty, dX);
        }
        finally { ArrayPool<T>.Shared.Return(flipped); }
    }

    /// <summary>dW [O, C, kH, kW] = Σ_n X[n] ⋆ dL/dO[n] (overwritten).</summary>
    public static void WeightGrad<T>(in ConvGeometry g, int batch, int outChannels,
        ReadOnlyMemory<T> x, ReadOnlyMemory<T> dO, Memory<T> dW) where T : unmanaged, INumber<T>
    {
        var job = new WeightGradJob<T>(g, batch, outChannels) { X = x, DO = dO };
        try
        {
            ForkJoin.Run(job, job.Parts);
            var dw = dW.Span;
            job.Sums[0].AsSpan(0, dw.Length).CopyTo(dw);
            for (int p = 1; p < job.Parts; p++) TensorPrimitives.Add(dw, job.Sums[p].AsSpan(0, dw.Length), dw);
        }
        finally
        {
            foreach (var sum in job.Sums) if (sum is not null) ArrayPool<T>.Shared.Return(sum);
        }
    }

    /// <summary>The padded-plane grid of one layer: where each tap reads and how long a sample's buffers are.</summary>
    abstract class Job<T> : IParallelBody where T : unmanaged, INumber<T>
    {
        protected readonly ConvGeometry G;
        protected readonly int Batch, OutChannels, Taps, Wp, Plane, QLen, QPad, SrcLength;
        protected readonly int[] Offsets;   // padded to a multiple of Width with 0 (a valid read; its result is dropped)
        public readonly int Parts;

        protected Job(in ConvGeometry g, int batch, int outChannels)
        {
            G = g;
            Batch = batch;
            OutChannels = outChannels;
            Taps = g.ColRows;
            Wp = g.Width + 2 * g.PadW;
            Plane = (g.Height + 2 * g.PadH) * Wp;
            QLen = g.OutH * Wp;
            int lanes = Vector512<T>.Count;
            QPad = (QLen + lanes - 1) / lanes * lanes;
            // The last tap of the last channel reads up to C·P − QLen + d_w(kW − 1) + QPad − 1.
            SrcLength = g.Channels * Plane + QPad - QLen + g.DilationW * (g.KernelW - 1);
            Offsets = new int[(Taps + Width - 1) / Width * Width];
            int r = 0;
            for (int c = 0; c < g.Channels; c++)
                for (int m = 0; m < g.KernelH; m++)
                    for (int n = 0; n < g.KernelW; n++)
                        Offsets[r++] = c * Plane + g.DilationH * m * Wp + g.DilationW * n;
            Parts = Math.Max(1, Math.Min(Threads.Count, batch));
        }

        protected int OutBlocks => (OutChannels + Outputs - 1) / Outputs;

        protected (int n0, int n1) Samples(int part) => ForkJoin.Range(part, Parts, Batch);

        // src ← sample n's planes inside the zero padding. Every sample fills the same places, so the padding and the
        // overrun tail are cleared once per part (ClearPadding), not per sample.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected void Fill(T* x, int n, T* src)
        {
            int c = G.Channels, h = G.Height, w = G.Width;
            T* sample = x + (long)n * c * h * w;
            for (int ci = 0; ci < c; ci++)
                for (int y = 0; y < h; y++)
                    DirectConvMicroKernels<T>.CopyRow(sample + (ci * h + y) * w, src + ci * Plane + (y + G.PadH) * Wp + G.PadW, w, T.Zero);
        }

        public abstract void Run(int part);
    }

    sealed class ForwardJob<T>(in ConvGeometry g, int batch, int outChannels) : Job<T>(g, batch, outChannels) where T : unmanaged, INumber<T>
    {
        public ReadOnlyMemory<T> X, Bias;
        public Memory<T> O;
        public T[] PackedW = [];

        // PackedW[(b·Taps + r)·6 + t] = W[6b + t, r], zero past the last output channel.
        public void PackWeights(ReadOnlySpan<T> w)
        {
            PackedW = ArrayPool<T>.Shared.Rent(OutBlocks * Taps * Outputs);
            PackedW.AsSpan(0, OutBlocks * Taps * Outputs).Clear();
            for (int o = 0; o < OutChannels; o++)
                for (int r = 0; r < Taps; r++)
                    PackedW[((o / Outputs) * Taps + r) * Outputs + o % Outputs] = w[o * Taps + r];
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // see DirectConvMicroKernels: tiered PGO made these loops 2× slower
        public override void Run(int part)
        {
            var (n0, n1) = Samples(part);
            using var srcBuffer = Scratch<T>.Rent(SrcLength);
            using var outBuffer = Scratch<T>.Rent(Outputs * QPad + Vector512<T>.Count);   // + the last row's whole-vector reads
            var bias = Bias.Span;
            int oh = G.OutH, ow = G.OutW, outPlane = oh * ow;
            srcBuffer.Span.Clear();
            fixed (T* x = X.Span, o = O.Span, src = srcBuffer.Span, result = outBuffer.Span, w = PackedW)
            fixed (int* offsets = Offsets)
                for (int n = n0; n < n1; n++)
                {
                    Fill(x, n, src);
                    for (int b = 0; b < OutBlocks; b++)
                    {
                        DirectConvMicroKernels<T>.Forward(src, offsets, Taps, w + b * Taps * Outputs, result, QPad);
                        for (int t = 0; t < Outputs && b * Outputs + t < OutChannels; t++)
                        {
                            int oc = b * Outputs + t;
                            T add = bias.IsEmpty ? T.Zero : bias[oc];
                            T* plane = o + (long)(n * OutChannels + oc) * outPlane;
                            for (int i = 0; i < oh; i++)
                                DirectConvMicroKernels<T>.CopyRow(result + t * QPad + i * Wp, plane + i * ow, ow, add);
                        }
                    }
                }
        }
    }

    sealed class WeightGradJob<T> : Job<T> where T : unmanaged, INumber<T>
    {
        // Samples per chunk: at most 8, and their padded planes and dL/dO grids within 256 KiB.
        const int MaxChunk = 8, ChunkBytes = 256 * 1024;

        public ReadOnlyMemory<T> X, DO;
        public readonly T[][] Sums;   // per part: its dW [O, Taps], summed over its samples

        public WeightGradJob(in ConvGeometry g, int batch, int outChannels) : base(g, batch, outChannels) => Sums = new T[Parts][];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // see DirectConvMicroKernels: tiered PGO made these loops 2× slower
        public override void Run(int part)
        {
            var (n0, n1) = Samples(part);
            int lanes = Vector512<T>.Count, tapBlocks = Offsets.Length / Width, block = Outputs * Width * lanes;
            // A chunk of samples side by side at fixed strides, so that each register block runs over all of them
            // (DirectConvMicroKernels.WeightGrad); every register block streams the chunk again, so it stays in L2.
            int srcStride = (SrcLength + lanes - 1) / lanes * lanes, gridStride = OutBlocks * Outputs * QPad;
            int chunk = Math.Clamp(ChunkBytes / ((srcStride + gridStride) * sizeof(T)), 1, MaxChunk);
            using var srcBuffer = Scratch<T>.Rent(chunk * srcStride);
            using var gridBuffer = Scratch<T>.Rent(chunk * gridStride);
            using var partialBuffer = Scratch<T>.Rent(OutBlocks * tapBlocks * block);
            int oh = G.OutH, ow = G.OutW, outPlane = oh * ow;
            srcBuffer.Span.Clear();
            gridBuffer.Span.Clear();   // columns j ≥ OW, q ≥ QLen and channels past O stay zero: they add nothing
            partialBuffer.Span.Clear();
            fixed (T* x = X.Span, dO = DO.Span, src = srcBuffer.Span, gradient = gridBuffer.Span, partial = partialBuffer.Span)
            fixed (int* offsets = Offsets)
                for (int n = n0; n < n1; n += chunk)
                {
                    int count = Math.Min(chunk, n1 - n);
                    for (int s = 0; s < count; s++)
                    {
                        Fill(x, n + s, src + s * srcStride);
                        for (int oc = 0; oc < OutChannels; oc++)
                            for (int i = 0; i < oh; i++)
                                DirectConvMicroKernels<T>.CopyRow(dO + (long)((n + s) * OutChannels + oc) * outPlane + i * ow,
                                    gradient + s * gridStride + oc * QPad + i * Wp, ow, T.Zero);
                    }
                    for (int b = 0; b < OutBlocks; b++)
                        for (int tb = 0; tb < tapBlocks; tb++)
                            DirectConvMicroKernels<T>.WeightGrad(src, offsets + tb * Width, gradient + b * Outputs * QPad, QPad,
                                partial + (b * tapBlocks + tb) * block, count, srcStride, gridStride);
                }
            var sum = Sums[part] = ArrayPool<T>.Shared.Rent(OutChannels * Taps);
            for (int oc = 0; oc < OutChannels; oc++)
                for (int r = 0; r < Taps; r++)
                {
                    int b = oc / Outputs, t = oc % Outputs, tb = r / Width, u = r % Width;
                    sum[oc * Taps + r] = TensorPrimitives.Sum(partialBuffer.Span.Slice((b * tapBlocks + tb) * block + (t * Width + u) * lanes, lanes));
                }
        }
    }
}
