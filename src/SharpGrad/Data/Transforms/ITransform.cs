namespace SharpGrad.Data.Transforms;

/// <summary>
/// A transform of a whole batch [N, C, H, W] at once (torchvision's transforms, batch-wise): random ones draw each
/// example's parameters from the generator in example order, so a seeded stream gives the same batch.
/// </summary>
public interface ITransform
{
    /// <summary>
    /// The transformed batch, a new tensor (<paramref name="batch"/> is left as it is); it belongs to the caller, which may
    /// recycle it (a loader's batch goes back to the storage pool after its training step), so never one kept elsewhere.
    /// </summary>
    Tensor Apply(Tensor batch, Generator generator);
}
