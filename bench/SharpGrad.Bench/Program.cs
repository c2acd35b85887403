using System.Diagnostics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Running;
using SharpGrad.Kernels;

namespace SharpGrad.Bench;

/// <summary>
/// BenchmarkDotNet entry (<c>dotnet run -c Release --project bench/SharpGrad.Bench -- --filter '*Gemm*'</c>),
/// plus <c>-- gflops [--threads N] [--isa V] [--double] [--trans-a] [--trans-b] [--sizes 256,6x784x25]</c>: a quick sgemm GFLOP/s table without BenchmarkDotNet, and
/// <c>-- peak</c>: the AVX-512 micro-kernel alone on L1-resident panels, and the cost of packing, for comparison;
/// <c>-- conv [--threads N]</c>: <see cref="ConvBench"/>'s layers, direct kernel beside im2col, without BenchmarkDotNet;
/// <c>-- lstm [--threads N]</c>: the LSTM training step phase by phase (<see cref="LstmProfile"/>).
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "gflops") return Gflops(args[1..]);
        if (args.Length > 0 && args[0] == "peak") return Peak();
        if (args.Length > 0 && args[0] == "conv") return Conv(args[1..]);
        if (args.Length > 0 && args[0] == "lstm") return LstmProfile.Run(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    // The micro-kernel alone on L1-resident panels: the ceiling the blocked GEMM can approach.
    static unsafe int Peak()
    {
        if (!GemmMicroKernelAvx512Float.IsSupported)
        {
            Console.Error.WriteLine("peak measures the AVX-512 kernel; this CPU has no AVX-512F");
            return 2;
        }
        const int kc = 192;
        float* a = (float*)NativeMemory.AlignedAlloc(14 * kc * 4, 64), b = (float*)NativeMemory.AlignedAlloc(32 * kc * 4, 64);
        float* c = (float*)NativeMemory.AlignedAlloc(14 * 32 * 4, 64);
        new Span<float>(a, 14 * kc).Fill(0.001f);
        new Span<float>(b, 32 * kc).Fill(0.001f);
        double peak = 0;
        for (int t = 0; t < 5; t++)
        {
            long start = Stopwatch.GetTimestamp();
            const int calls = 200_000;
            for (int i = 0; i < calls; i++) GemmMicroKernelAvx512Float.Run<GemmRows14>(kc, a, b, c, 32, true);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double gflops = 2.0 * 14 * 32 * kc * calls / seconds / 1e9;
            peak = Math.Max(peak, gflops);
            Console.WriteLine($"avx512 14x32 kernel, kc={kc}: {gflops:F1} GFLOP/s");
        }
        // Packing a 1022×1024 block of A and a 1024×1024 panel of B, each way round.
        const int n = 1024;
        float* x = (float*)NativeMemory.AlignedAlloc(n * n * 4, 64), packed = (float*)NativeMemory.AlignedAlloc(n * n * 4 + 4096, 64);
        new Span<float>(x, n * n).Fill(1f);
        foreach (bool trans in new[] { false, true })
        {
            for (int t = 0; t < 3; t++)
            {
                long start = Stopwatch.GetTimestamp();
                GemmPacking.PackA(trans, x, n, 0, 0, 1022, n, 14, packed);
                double packA = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                start = Stopwatch.GetTimestamp();
                GemmPacking.PackB(trans, x, n, 0, 0, n, n, 32, packed);
                double packB = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                Console.WriteLine($"trans={trans}: PackA {packA:F3} ms, PackB {packB:F3} ms; sgemm n=1024 at the kernel's best: {2.0 * n * n * n / peak / 1e6:F1} ms");
            }
        }
        foreach (nint p in new[] { (nint)a, (nint)b, (nint)c, (nint)x, (nint)packed }) NativeMemory.AlignedFree((void*)p);
        return 0;
    }

    // Best of 5 trials of ~0.5 s each after a warm-up, per size. Also GFLOP per second of process CPU time: on a
    // machine shared with other work it shows the single-thread rate while running, not while waiting for a core.
    static int Gflops(string[] args)
    {
        bool dgemm = false, transA = false, transB = false;
        (int M, int N, int K)[] shapes = [(256, 256, 256), (1024, 1024, 1024)];
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--threads" && i + 1 < args.Length) Threads.Count = int.Parse(args[++i]);
            else if (args[i] == "--isa" && i + 1 < args.Length) Gemm.ForcedIsa = Enum.Parse<KernelIsa>(args[++i], ignoreCase: true);
            else if (args[i] == "--double") dgemm = true;
            else if (args[i] == "--trans-a") transA = true;   // op(A) = Aᵀ: A stored k×m, as a weight gradient's dYᵀ
            else if (args[i] == "--trans-b") transB = true;   // op(B) = Bᵀ: B stored n×k, as Linear's Wᵀ
            else if (args[i] == "--sizes" && i + 1 < args.Length) shapes = args[++i].Split(',').Select(ParseShape).ToArray();
            else { Console.Error.WriteLine($"unknown option {args[i]}; usage: gflops [--threads N] [--isa V] [--double] [--trans-a] [--trans-b] [--sizes 256,6x784x25]"); return 2; }
        }
        foreach (var (m, n, k) in shapes)
        {
            var random = new Random(1);
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            double[] ad = new double[m * k], bd = new double[k * n], cd = new double[m * n];
            for (int i = 0; i < a.Length; i++) ad[i] = a[i] = random.NextSingle() - 0.5f;
            for (int i = 0; i < b.Length; i++) bd[i] = b[i] = random.NextSingle() - 0.5f;
            void Once()
            {
                int lda = transA ? m : k, ldb = transB ? k : n;
                if (dgemm) Gemm.Multiply(transA, transB, m, n, k, ad, lda, bd, ldb, cd, n, false);
                else Gemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, n, false);
            }
            double flop = 2.0 * m * n * k;
            int reps = Math.Max(3, (int)(1e9 / flop));
            for (int w = 0; w < reps; w++) Once();
            var trials = new List<double>();
            double perCpuSecond = 0;
            using var process = Process.GetCurrentProcess();
            for (int t = 0; t < 5; t++)
            {
                process.Refresh();
                TimeSpan cpuStart = process.TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                for (int r = 0; r < reps; r++) Once();
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds / reps;
                process.Refresh();
                double cpuSeconds = (process.TotalProcessorTime - cpuStart).TotalSeconds / reps;
                trials.Add(flop / seconds / 1e9);
                perCpuSecond = Math.Max(perCpuSecond, flop / cpuSeconds / 1e9);
            }
            Console.WriteLine($"sharpgrad {(dgemm ? "dgemm" : "sgemm")} isa={Gemm.Isa} threads={Threads.Count} {(m == n && n == k ? $"n={n}" : $"{m}x{n}x{k}")}{(transA ? " Aᵀ" : "")}{(transB ? " Bᵀ" : "")} GFLOP/s " +
                $"best={trials.Max():F1} all={string.Join(' ', trials.Select(g => g.ToString("F1")))} per-cpu-second={perCpuSecond:F1}");
        }
        return 0;
    }

    // Each ConvBench case: best of 5 trials of ~0.3 s after a warm-up, in process-CPU ms per call (all threads): the
    // machine is shared, and CPU time is what other load disturbs least.
    static int Conv(string[] args)
    {
        int threads = args.Length == 2 && args[0] == "--threads" ? int.Parse(args[1]) : 1;
        Console.WriteLine($"conv layers, batch 64, float32, threads={threads}: CPU ms per call (direct / im2col)");
        foreach (var layer in ConvBench.Layers)
        {
            var line = new List<string>();
            foreach (var (name, run) in new (string, Action<ConvBench>)[] { ("forward", b => b.Forward()), ("dW", b => b.WeightGrad()), ("dX", b => b.InputGrad()) })
            {
                var ms = new double[2];
                foreach (bool direct in new[] { true, false })
                {
                    var bench = new ConvBench { Layer = layer.Name, Direct = direct, ThreadCount = threads };
                    bench.Setup();
                    for (int i = 0; i < 20; i++) run(bench);
                    double best = double.MaxValue;
                    using var process = Process.GetCurrentProcess();
                    for (int t = 0; t < 5; t++)
                    {
                        int calls = 0;
                        process.Refresh();
                        var cpuStart = process.TotalProcessorTime;
                        long start = Stopwatch.GetTimestamp();
                        while (Stopwatch.GetElapsedTime(start).TotalSeconds < 0.3) { run(bench); calls++; }
                        process.Refresh();
                        best = Math.Min(best, (process.TotalProcessorTime - cpuStart).TotalMilliseconds / calls);
                    }
                    ms[direct ? 0 : 1] = best;
                }
                line.Add($"{name} {ms[0]:F3} / {ms[1]:F3}");
            }
            Console.WriteLine($"{layer.Name} ({layer.C}→{layer.O}, {layer.K}×{layer.K}, {layer.H}×{layer.H}, pad {layer.Pad}): {string.Join(", ", line)}");
        }
        return 0;
    }

    // "256" is 256×256×256; "6x784x25" is m×n×k.
    static (int, int, int) ParseShape(string text)
    {
        int[] d = text.Split('x').Select(int.Parse).ToArray();
        return d.Length == 1 ? (d[0], d[0], d[0]) : (d[0], d[1], d[2]);
    }
}
