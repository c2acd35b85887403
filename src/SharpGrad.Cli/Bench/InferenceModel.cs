using SharpGrad.Nn;

namespace SharpGrad.Cli.Bench;

/// <summary>An inference workload's model (in evaluation mode) and the batch of 64 it runs on.</summary>
/// <param name="Name">Its <c>--only</c> name (infer-lenet).</param>
/// <param name="Model">The model; <see cref="Module.Call"/> is one inference.</param>
/// <param name="Input">The full batch of 64.</param>
/// <param name="BatchAxis">The input's batch dim: 0, or 1 for the time-major LSTM.</param>
internal sealed record InferenceModel(string Name, Module Model, Tensor Input, int BatchAxis)
{
    /// <summary>The first <paramref name="batch"/> examples of <see cref="Input"/>, contiguous, as a caller would pass them.</summary>
    public Tensor Batch(int batch)
    {
        if (batch < 1 || batch > Input.Shape[BatchAxis])
            throw new ArgumentOutOfRangeException(nameof(batch), $"bench: {Name} has a batch of {Input.Shape[BatchAxis]}, not {batch}");
        return batch == Input.Shape[BatchAxis] ? Input : Input.Slice(BatchAxis, 0, batch).Contiguous();
    }
}
