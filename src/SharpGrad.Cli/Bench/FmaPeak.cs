using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SharpGrad.Kernels;

namespace SharpGrad.Cli.Bench;

/// <summary>
/// The ceiling for the sgemm workloads: fused multiply-adds on registers only (no memory traffic), on every thread
/// of <see cref="Threads.Count"/>, with the vector width the GEMM runs (<see cref="Gemm.Isa"/>). Twelve independent
/// accumulators cover the FMA latency × throughput (4 cycles × 2 pipes) of current x86 cores, so this is the machine's
/// FMA throughput as this process sees it — clock, turbo and whatever shares the cores included. On a VM whose two
/// vCPUs are hyperthreads of one core, 2 threads measure about what 1 does.
/// </summary>
internal static class FmaPeak
{
    const int Iterations = 1 << 20, Chains = 12;

    /// <summary>One step: every thread runs <see cref="Iterations"/> rounds of 12 FMAs; items are GFLOP.</summary>
    public static BenchStep Build()
    {
        int parts = Threads.Count, lanes = Gemm.Isa switch
        {
            KernelIsa.Avx512 => Vector512<float>.Count,
            KernelIsa.Avx2 => Vector256<float>.Count,
            _ => Vector<float>.Count,
        };
        var job = new Job(Gemm.Isa, parts);
        return new BenchStep(() => ForkJoin.Run(job, parts), 2.0 * parts * Iterations * Chains * lanes / 1e9);
    }

    sealed class Job(KernelIsa isa, int parts) : IParallelBody
    {
        // Each part's result is stored, so the JIT cannot drop its loop.
        readonly float[] sinks = new float[parts];

        public void Run(int part) => sinks[part] = isa switch
        {
            KernelIsa.Avx512 => Loop<Vector512<float>, Zmm>(Iterations),
            KernelIsa.Avx2 => Loop<Vector256<float>, Ymm>(Iterations),
            _ => Loop<Vector<float>, Portable>(Iterations),
        };
    }

    /// <summary>The three operations the loop needs, per vector type; a struct, so each loop is compiled for its own.</summary>
    interface ILanes<TVector>
    {
        static abstract TVector Splat(float x);
        static abstract TVector MultiplyAdd(TVector x, TVector m, TVector d);
        static abstract float Sum(TVector x);
    }

    readonly struct Zmm : ILanes<Vector512<float>>
    {
        public static Vector512<float> Splat(float x) => Vector512.Create(x);
        public static Vector512<float> MultiplyAdd(Vector512<float> x, Vector512<float> m, Vector512<float> d) => Avx512F.FusedMultiplyAdd(x, m, d);
        public static float Sum(Vector512<float> x) => Vector512.Sum(x);
    }

    readonly struct Ymm : ILanes<Vector256<float>>
    {
        public static Vector256<float> Splat(float x) => Vector256.Create(x);
        public static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> m, Vector256<float> d) => Fma.MultiplyAdd(x, m, d);
        public static float Sum(Vector256<float> x) => Vector256.Sum(x);
    }

    // The portable GEMM kernel's own arithmetic: Vector<T> multiply, then add.
    readonly struct Portable : ILanes<Vector<float>>
    {
        public static Vector<float> Splat(float x) => new(x);
        public static Vector<float> MultiplyAdd(Vector<float> x, Vector<float> m, Vector<float> d) => x * m + d;
        public static float Sum(Vector<float> x) => Vector.Sum(x);
    }

    // x ← x·m + d on 12 registers; |m| < 1 keeps every value finite for any iteration count.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static float Loop<TVector, TLanes>(int iterations) where TLanes : struct, ILanes<TVector>
    {
        TVector m = TLanes.Splat(0.999f), d = TLanes.Splat(1e-3f);
        TVector x0 = TLanes.Splat(1f), x1 = TLanes.Splat(2f), x2 = TLanes.Splat(3f), x3 = TLanes.Splat(4f),
            x4 = TLanes.Splat(5f), x5 = TLanes.Splat(6f), x6 = TLanes.Splat(7f), x7 = TLanes.Splat(8f),
            x8 = TLanes.Splat(9f), x9 = TLanes.Splat(10f), x10 = TLanes.Splat(11f), x11 = TLanes.Splat(12f);
        for (int i = 0; i < iterations; i++)
        {
            x0 = TLanes.MultiplyAdd(x0, m, d); x1 = TLanes.MultiplyAdd(x1, m, d);
            x2 = TLanes.MultiplyAdd(x2, m, d); x3 = TLanes.MultiplyAdd(x3, m, d);
            x4 = TLanes.MultiplyAdd(x4, m, d); x5 = TLanes.MultiplyAdd(x5, m, d);
            x6 = TLanes.MultiplyAdd(x6, m, d); x7 = TLanes.MultiplyAdd(x7, m, d);
            x8 = TLanes.MultiplyAdd(x8, m, d); x9 = TLanes.MultiplyAdd(x9, m, d);
            x10 = TLanes.MultiplyAdd(x10, m, d); x11 = TLanes.MultiplyAdd(x11, m, d);
        }
        return TLanes.Sum(x0) + TLanes.Sum(x1) + TLanes.Sum(x2) + TLanes.Sum(x3) + TLanes.Sum(x4) + TLanes.Sum(x5)
            + TLanes.Sum(x6) + TLanes.Sum(x7) + TLanes.Sum(x8) + TLanes.Sum(x9) + TLanes.Sum(x10) + TLanes.Sum(x11);
    }
}
