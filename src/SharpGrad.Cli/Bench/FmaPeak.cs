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
            KernelIsa.Avx512 => Loop512(Iterations),
            KernelIsa.Avx2 => Loop256(Iterations),
            _ => LoopPortable(Iterations),
        };
    }

    // x ← x·m + d on 12 registers; |m| < 1 keeps every value finite for any iteration count.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static float Loop512(int iterations)
    {
        Vector512<float> m = Vector512.Create(0.999f), d = Vector512.Create(1e-3f);
        Vector512<float> x0 = d, x1 = d + d, x2 = x1 + d, x3 = x2 + d, x4 = x3 + d, x5 = x4 + d,
            x6 = x5 + d, x7 = x6 + d, x8 = x7 + d, x9 = x8 + d, x10 = x9 + d, x11 = x10 + d;
        for (int i = 0; i < iterations; i++)
        {
            x0 = Avx512F.FusedMultiplyAdd(x0, m, d); x1 = Avx512F.FusedMultiplyAdd(x1, m, d);
            x2 = Avx512F.FusedMultiplyAdd(x2, m, d); x3 = Avx512F.FusedMultiplyAdd(x3, m, d);
            x4 = Avx512F.FusedMultiplyAdd(x4, m, d); x5 = Avx512F.FusedMultiplyAdd(x5, m, d);
            x6 = Avx512F.FusedMultiplyAdd(x6, m, d); x7 = Avx512F.FusedMultiplyAdd(x7, m, d);
            x8 = Avx512F.FusedMultiplyAdd(x8, m, d); x9 = Avx512F.FusedMultiplyAdd(x9, m, d);
            x10 = Avx512F.FusedMultiplyAdd(x10, m, d); x11 = Avx512F.FusedMultiplyAdd(x11, m, d);
        }
        return Vector512.Sum(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static float Loop256(int iterations)
    {
        Vector256<float> m = Vector256.Create(0.999f), d = Vector256.Create(1e-3f);
        Vector256<float> x0 = d, x1 = d + d, x2 = x1 + d, x3 = x2 + d, x4 = x3 + d, x5 = x4 + d,
            x6 = x5 + d, x7 = x6 + d, x8 = x7 + d, x9 = x8 + d, x10 = x9 + d, x11 = x10 + d;
        for (int i = 0; i < iterations; i++)
        {
            x0 = Fma.MultiplyAdd(x0, m, d); x1 = Fma.MultiplyAdd(x1, m, d);
            x2 = Fma.MultiplyAdd(x2, m, d); x3 = Fma.MultiplyAdd(x3, m, d);
            x4 = Fma.MultiplyAdd(x4, m, d); x5 = Fma.MultiplyAdd(x5, m, d);
            x6 = Fma.MultiplyAdd(x6, m, d); x7 = Fma.MultiplyAdd(x7, m, d);
            x8 = Fma.MultiplyAdd(x8, m, d); x9 = Fma.MultiplyAdd(x9, m, d);
            x10 = Fma.MultiplyAdd(x10, m, d); x11 = Fma.MultiplyAdd(x11, m, d);
        }
        return Vector256.Sum(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11);
    }

    // The portable GEMM kernel's own arithmetic: Vector<T> multiply, then add.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static float LoopPortable(int iterations)
    {
        Vector<float> m = new(0.999f), d = new(1e-3f);
        Vector<float> x0 = d, x1 = d + d, x2 = x1 + d, x3 = x2 + d, x4 = x3 + d, x5 = x4 + d,
            x6 = x5 + d, x7 = x6 + d, x8 = x7 + d, x9 = x8 + d, x10 = x9 + d, x11 = x10 + d;
        for (int i = 0; i < iterations; i++)
        {
            x0 = x0 * m + d; x1 = x1 * m + d; x2 = x2 * m + d; x3 = x3 * m + d;
            x4 = x4 * m + d; x5 = x5 * m + d; x6 = x6 * m + d; x7 = x7 * m + d;
            x8 = x8 * m + d; x9 = x9 * m + d; x10 = x10 * m + d; x11 = x11 * m + d;
        }
        return Vector.Sum(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11);
    }
}
