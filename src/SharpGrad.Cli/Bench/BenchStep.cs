namespace SharpGrad.Cli.Bench;

/// <summary>One built workload: the step to repeat and how many items (samples, sequences, GFLOP) one step counts for.</summary>
/// <param name="Run">One step: a GEMM call, a full training step (zero grads, forward, loss, backward, optimizer update) or an inference call.</param>
/// <param name="ItemsPerStep">Items per step, so rate = steps · items / seconds.</param>
/// <param name="MultiplyAddsPerStep">Useful multiply-adds of one step (<see cref="MultiplyAdds"/>); 0 where the items are GFLOP already.</param>
internal sealed record BenchStep(Action Run, double ItemsPerStep, long MultiplyAddsPerStep = 0);
