using SharpGrad.IO;

namespace SharpGrad.Cli;

/// <summary>Putting a checkpoint's state into a model and optimizer, with refusals reported against the file.</summary>
static class CheckpointInput
{
    /// <summary>
    /// Runs <paramref name="restore"/>; what <see cref="Nn.Module.LoadStateDict"/> or <see cref="Optim.Optimizer.LoadState"/>
    /// refuse (wrong names or shapes, NaN weights, a negative step) becomes a <see cref="CheckpointFormatException"/>
    /// naming <paramref name="path"/> (exit 4, malformed input).
    /// </summary>
    public static void Restore(string path, Action restore)
    {
        try
        {
            restore();
        }
        catch (ArgumentException e)
        {
            throw new CheckpointFormatException($"Checkpoint '{path}': {e.Message}", e);
        }
    }
}
