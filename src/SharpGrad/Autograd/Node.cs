namespace SharpGrad;

/// <summary>
/// One recorded operation (PyTorch's <c>grad_fn</c>): its inputs, and the closure that maps dL/dOutput to
/// dL/dInput for each input. Tensors the closure needs are saved with their storage version, so that an
/// in-place change made after the forward is caught instead of silently giving a wrong gradient.
/// </summary>
/// <remarks>
/// The double-backward rule, as PyTorch's: a backward without <c>retainGraph</c> frees the saved tensors of every node it
/// ran (<see cref="Release"/>), and only such a node refuses to run again. A node that saved no tensor (views: Slice,
/// Permute, Expand, Reshape; Add, Sub, Neg, Sum, Cat, ...) frees nothing and runs backward any number of times, so a view
/// may feed several graphs. An op's closure must therefore name, in <c>saved</c>, every tensor it reads other than
/// through its inputs' shapes and RequiresGrad (masks included): that is what is freed, and what is version-checked.
/// </remarks>
internal sealed class Node
{
    public readonly string Name;
    public Tensor[] Inputs { get; private set; }
    Func<Tensor, Tensor?[]>? backward;
    (Tensor tensor, int version)[] saved;
    public WeakReference<Tensor>? Output;

    public Node(string name, Tensor[] inputs, Func<Tensor, Tensor?[]> backward, Tensor[] saved)
    {
        Name = name;
        Inputs = inputs;
        this.backward = backward;
        this.saved = new (Tensor, int)[saved.Length];
        for (int i = 0; i < saved.Length; i++) this.saved[i] = (saved[i], saved[i].storage.Version);
    }

    public bool Released => backward is null;

    public Tensor?[] Apply(Tensor dLdOutput)
    {
        if (backward is null)
            throw new InvalidOperationException($"{Name}: trying to backward through the graph a second time (its saved tensors were freed by the first Backward); pass retainGraph: true to the first call");
        foreach (var (tensor, version) in saved)
            if (tensor.storage.IsReleased)
                throw new ObjectDisposedException(nameof(Tensor), $"{Name}: a tensor of shape {Shapes.Format(tensor.shape)} saved for backward was recycled when the TensorScope of the forward ended; call Backward inside that scope");
            else if (tensor.storage.Version != version)
                throw new InvalidOperationException($"{Name}: a tensor of shape {Shapes.Format(tensor.shape)} saved for backward was modified in place (version {tensor.storage.Version}, expected {version})");
        var grads = backward(dLdOutput);
        if (grads.Length != Inputs.Length)
            throw new InvalidOperationException($"internal: {Name} returned {grads.Length} gradients for {Inputs.Length} inputs");
        return grads;
    }

    /// <summary>
    /// Drops the closure and saved tensors (what PyTorch frees after a backward without retain_graph); a node that saved
    /// nothing has nothing to free and stays usable.
    /// </summary>
    public void Release()
    {
        if (saved.Length == 0) return;
        backward = null;
        saved = [];
        Inputs = [];
    }
}
