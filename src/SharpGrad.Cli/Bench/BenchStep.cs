namespace SharpGrad.Cli.Bench;

/// <summary>One built workload: the step to repeat and how many items (samples, sequences, GFLOP) one step counts for.</summary>
/// <param name="Run">One step: a GEMM call or a full training step (zero grads, forward, loss, backward, optimizer update).</param>
/// <param name="ItemsPerStep">Items per step, so rate = steps · items / seconds.</param>
internal sealed record BenchStep(Action Run, double ItemsPerStep);
