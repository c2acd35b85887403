using System.Diagnostics;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Bench;

/// <summary>
/// <c>-- lstm [--threads N]</c>: where the bench's LSTM training step (input 2, hidden 128, length 100, batch 32) spends
/// its time, phase by phase: the fused layer's forward, its backward, Adam, and the whole step. Each figure is the
/// median and the best of many repeats in wall time, plus CPU time per repeat, so a loaded machine shows in the spread.
/// </summary>
internal static class LstmProfile
{
    public static int Run(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--threads" && i + 1 < args.Length) Threads.Count = int.Parse(args[++i]);
            else { Console.Error.WriteLine($"unknown option {args[i]}; usage: lstm [--threads N]"); return 2; }
        }
        var g = new Generator(3);
        var lstm = new Lstm(2, 128, generator: g);
        var head = new Linear(128, 1, generator: g);
        var optimizer = new Adam(lstm.Parameters().Concat(head.Parameters()), lr: 1e-3);
        var x = Tensor.Randn([100, 32, 2], g);
        var y = Tensor.Randn([32, 1], g);
        var wIh = lstm.Parameters().First();
        var p = lstm.Parameters().ToArray();
        var h0 = Tensor.Zeros([32, 128]);

        float[] h = new float[32 * 128], wT = new float[128 * 512], gates = new float[32 * 512], c = new float[32 * 128];
        Measure("100x gemm h·W_hhᵀ", () =>
        {
            for (int t = 0; t < 100; t++) Kernels.Gemm.Multiply(false, false, 32, 512, 128, h, 128, wT, 512, gates, 512, accumulate: true);
        });
        Measure("100x gemm dA·W_hh", () =>
        {
            for (int t = 0; t < 100; t++) Kernels.Gemm.Multiply(false, false, 32, 128, 512, gates, 512, wT, 128, h, 128, accumulate: false);
        });
        Measure("100x gate σ, tanh", () =>
        {
            for (int t = 0; t < 100; t++)
            {
                System.Numerics.Tensors.TensorPrimitives.Sigmoid(gates, gates);
                System.Numerics.Tensors.TensorPrimitives.Tanh(c, h);
            }
        });
        Measure("forward (no grad)", () =>
        {
            using var scope = TensorScope.Begin();
            using (Autograd.NoGrad()) F.LstmLayer(x, h0, h0, p[0], p[1], p[2], p[3]);
        });
        Measure("forward (recorded)", () =>
        {
            using var scope = TensorScope.Begin();
            F.LstmLayer(x, h0, h0, p[0], p[1], p[2], p[3]);
        });
        Measure("forward + backward", () =>
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            F.LstmLayer(x, h0, h0, p[0], p[1], p[2], p[3]).HN.Sum().Backward();
        });
        Measure("adam step", () => optimizer.Step());
        Measure("training step", () =>
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            F.MseLoss(head.Forward(lstm.Forward(x).Select(0, 99)), y).Backward();
            optimizer.Step();
        });
        return 0;
    }

    static void Measure(string name, Action body)
    {
        for (int i = 0; i < 80; i++) body();
        var wall = new List<double>();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        long end = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 2;
        while (Stopwatch.GetTimestamp() < end || wall.Count < 20)
        {
            long start = Stopwatch.GetTimestamp();
            body();
            wall.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds / wall.Count;
        wall.Sort();
        Console.WriteLine($"{name,-20} threads={Threads.Count} n={wall.Count,5}  best {wall[0],8:F3} ms  median {wall[wall.Count / 2],8:F3} ms  cpu {cpu,8:F3} ms");
    }
}
