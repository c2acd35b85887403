namespace SharpGrad;

/// <summary>
/// A region of code, usually one training step, whose tensors are recycled when it ends (TorchSharp's
/// <c>DisposeScope</c>; PyTorch frees by reference counting, which .NET does not have):
/// <code>
/// using (TensorScope.Begin())
/// {
///     optimizer.ZeroGrad();
///     var loss = F.CrossEntropy(model.Forward(x), y);
///     loss.Backward();
///     optimizer.Step();
///     lossValue = loss.Item();
/// }
/// </code>
/// Every tensor allocated inside (activations, gradients of intermediates, temporaries) gives its array back to a
/// pool at <see cref="Dispose"/>, and the next step takes the same arrays again: a training step then allocates
/// almost nothing on the managed heap. What must outlive the step escapes by itself: parameters and buffers a module
/// registers, optimizer state, and gradients stored in <see cref="Tensor.Grad"/>. Anything else is kept with
/// <see cref="Keep"/>; a recycled tensor used after its scope throws <see cref="ObjectDisposedException"/>,
/// never reads another tensor's values. Scopes nest and belong to the thread that began them.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] static TensorScope? current;

    readonly TensorScope? outer;
    readonly List<Storage> owned = [];
    readonly List<IndexBuffer> ownedIndices = [];
    bool disposed;

    TensorScope(TensorScope? outer) => this.outer = outer;

    /// <summary>Starts a scope on this thread; tensors allocated until its <see cref="Dispose"/> belong to it.</summary>
    public static TensorScope Begin() => current = new TensorScope(current);

    /// <summary>Takes <paramref name="tensor"/>'s storage (and so every view of it) out of every scope: the GC owns it again.</summary>
    public static Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.storage.Scope = null;
        return tensor;
    }

    /// <summary>Recycles every storage allocated in this scope and not kept; the enclosing scope becomes current again.</summary>
    public void Dispose()
    {
        if (disposed) return;
        if (!ReferenceEquals(current, this))
            throw new InvalidOperationException("TensorScope.Dispose: scopes must end in the reverse order they began, on the thread that began them");
        disposed = true;
        current = outer;
        foreach (var storage in owned)
            if (ReferenceEquals(storage.Scope, this)) storage.Recycle();
        owned.Clear();
        foreach (var indices in ownedIndices) indices.Return();
        ownedIndices.Clear();
    }

    internal static TensorScope? Current => current;

    /// <summary>Puts <paramref name="tensor"/>'s storage in the current scope, as if allocated there: for a tensor made
    /// outside that is known to be used by no one after the scope (a loader's batch after its training step).</summary>
    internal static void Own(Tensor tensor) => Adopt(tensor.storage);

    internal static void Adopt(IndexBuffer indices) => current?.ownedIndices.Add(indices);

    internal static void Adopt(Storage storage)
    {
        if (current is not { } scope) return;
        storage.Scope = scope;
        scope.owned.Add(storage);
    }
}
