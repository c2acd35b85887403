using BenchmarkDotNet.Attributes;
using SharpGrad.Kernels;

namespace SharpGrad.Bench;

/// <summary>sgemm C = A·B, square n×n, per micro-kernel variant, at <see cref="Threads.Count"/> threads.</summary>
[MemoryDiagnoser]
public class GemmBench
{
    float[] a = [], b = [], c = [];

    /// <summary>Matrix size.</summary>
    [Params(256, 1024)]
    public int N { get; set; }

    /// <summary>Variant (unsupported ones are skipped by <see cref="Setup"/>).</summary>
    [ParamsSource(nameof(Variants))]
    public string Isa { get; set; } = "Avx512";

    /// <summary>Threads used by the GEMM.</summary>
    [Params(1, 2)]
    public int ThreadCount { get; set; }

    /// <summary>The variants this CPU runs.</summary>
    public static IEnumerable<string> Variants() =>
        new[] { KernelIsa.Avx512, KernelIsa.Avx2, KernelIsa.Portable }.Where(Gemm.IsSupported).Select(v => v.ToString());

    /// <summary>Random operands, variant and thread count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        a = Enumerable.Range(0, N * N).Select(_ => random.NextSingle() - 0.5f).ToArray();
        b = Enumerable.Range(0, N * N).Select(_ => random.NextSingle() - 0.5f).ToArray();
        c = new float[N * N];
        Gemm.ForcedIsa = Enum.Parse<KernelIsa>(Isa);
        Threads.Count = ThreadCount;
    }

    /// <summary>One product; GFLOP/s = 2·N³ / time.</summary>
    [Benchmark]
    public void Sgemm() => Gemm.Multiply(false, false, N, N, N, a, N, b, N, c, N, accumulate: false);
}
