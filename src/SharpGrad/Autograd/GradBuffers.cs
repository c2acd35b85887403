namespace SharpGrad;

/// <summary>
/// The engine's one seam to memory reuse: how one backward's gradients become <see cref="Tensor.Grad"/> without
/// copies, as torch's AccumulateGrad. A gradient buffer this backward allocated (its storage serial is at or after the
/// backward's start), whole and contiguous, is taken over by the first leaf it reaches; later gradients add in place
/// into a buffer the leaf owns, unless this backward took that buffer over, when other uses of the same gradient may
/// still be pending and a fresh sum is made instead.
/// </summary>
internal sealed class GradBuffers(bool createGraph)
{
    readonly long firstSerial = Storage.NextSerial;
    readonly HashSet<Storage> taken = new(ReferenceEqualityComparer.Instance);

    /// <summary>Keeps dL/dO on a non-leaf that retains its grad; the node's backward may hand the same buffer on to a leaf, so none may take it over.</summary>
    public void Retain(Tensor output, Tensor dLdO)
    {
        taken.Add(dLdO.storage);
        output.Grad = output.Grad is null ? (createGraph ? dLdO : dLdO.Detach())
            : createGraph ? output.Grad + dLdO : output.Grad.Detach() + dLdO.Detach();
    }

    /// <summary>Adds <paramref name="g"/> to the leaf's Grad, taking its buffer over when it may.</summary>
    public void AccumulateLeaf(Tensor leaf, Tensor g)
    {
        var existing = leaf.Grad;
        if (createGraph)
            leaf.SetGradFromBackward(existing is null ? g : existing + g, ownsBuffer: false);
        else if (existing is not null && existing.storage.IsGradBuffer && !taken.Contains(existing.storage))
            existing.Add_(g);
        else if (existing is not null)
            leaf.SetGradFromBackward(existing.Detach() + g.Detach(), ownsBuffer: true);
        else if (TryAdopt(g))
            leaf.SetGradFromBackward(g.Detach(), ownsBuffer: true);
        else
            leaf.SetGradFromBackward(g.Detach().Clone(), ownsBuffer: true);
    }

    bool TryAdopt(Tensor g) =>
        g.storage.Serial >= firstSerial && g.offset == 0 && g.IsContiguous && g.Numel == g.storage.Length && taken.Add(g.storage);
}
