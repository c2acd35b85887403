namespace SharpGrad.Cli.Bench;

/// <summary>A workload of <c>sharpgrad bench</c>, as <c>bench/peers/torch_peer.py</c> runs it on PyTorch.</summary>
/// <param name="Name">Short name (<c>--only</c>; an inference workload's two batch sizes share it).</param>
/// <param name="RateKey">The JSON key of its rate (or its latency), shared with the peer scripts.</param>
/// <param name="IsTraining">True for training steps (their allocated bytes per step are reported).</param>
/// <param name="Build">Creates the model, data and optimizer; returns the step.</param>
internal sealed record BenchWorkload(string Name, string RateKey, bool IsTraining, Func<BenchStep> Build)
{
    /// <summary>The prefix of its other JSON keys: the name, or the name and batch size of an inference run (infer_lenet_b1).</summary>
    public string Key { get; init; } = Name;

    /// <summary>True when the figure is the median microseconds per call (batch-1 latency), not a rate.</summary>
    public bool Latency { get; init; }
}
