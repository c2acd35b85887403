namespace SharpGrad.Cli.Bench;

/// <summary>A workload of <c>sharpgrad bench</c>, as <c>bench/peers/torch_peer.py</c> runs it on PyTorch.</summary>
/// <param name="Name">Short name (<c>--only</c>, and the prefix of its other JSON keys).</param>
/// <param name="RateKey">The JSON key of its rate, shared with the peer script.</param>
/// <param name="IsTraining">True for training steps (their allocated bytes per step are reported).</param>
/// <param name="Build">Creates the model, data and optimizer; returns the step.</param>
internal sealed record BenchWorkload(string Name, string RateKey, bool IsTraining, Func<BenchStep> Build);
