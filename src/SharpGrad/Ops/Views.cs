namespace SharpGrad;

// Views share the input's storage (no copy) wherever the strides allow, as in PyTorch.
public static partial class F
{
    /// <summary>The same elements in a new shape; one dimension may be −1 (inferred). A view whenever the strides allow it (as <c>view</c>), else a copy.</summary>
    public static Tensor Reshape(Tensor a, params int[] shape)
    {
        var target = InferShape("Reshape", a, shape);
        if (Shapes.Equal(target, a.shape)) return a;
        var viewStrides = Shapes.ViewStrides(a.shape, a.strides, target);
        var o = viewStrides is not null
            ? new Tensor(a.storage, target, viewStrides, a.offset)
            : new Tensor(CopyKernel(a, a.DType).storage, target);
        return Autograd.Record("Reshape", o, [a], g => [Reshape(g, a.shape)]);     // dL/da = reshape(g, a.shape)
    }

    /// <summary>Flattens dims startDim..endDim into one (<c>torch.flatten</c>).</summary>
    public static Tensor Flatten(Tensor a, int startDim = 0, int endDim = -1)
    {
        if (a.Rank == 0)
        {
            Shapes.Axis("Flatten", startDim, 0);
            Shapes.Axis("Flatten", endDim, 0);
            return Reshape(a, 1);   // torch: a 0-d tensor flattens to [1]
        }
        int s = Shapes.Axis("Flatten", startDim, a.Rank), e = Shapes.Axis("Flatten", endDim, a.Rank);
        if (s > e) throw new ArgumentException($"Flatten: startDim {startDim} comes after endDim {endDim} for shape {Shapes.Format(a.shape)}");
        var shape = a.shape.Take(s).Append(a.shape[s..(e + 1)].Aggregate(1, (x, y) => x * y)).Concat(a.shape.Skip(e + 1)).ToArray();
        return Reshape(a, shape);
    }

    /// <summary>Reorders dimensions: output dim i is input dim <c>dims[i]</c>. A view.</summary>
    public static Tensor Permute(Tensor a, params int[] dims)
    {
        if (dims.Length != a.Rank) throw new ArgumentException($"Permute: {dims.Length} dims given for a tensor of rank {a.Rank} (shape {Shapes.Format(a.shape)})");
        var axes = NormalizeAxes("Permute", dims, a.Rank);
        var inverse = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++) inverse[axes[i]] = i;
        var o = new Tensor(a.storage, axes.Select(d => a.shape[d]).ToArray(), axes.Select(d => a.strides[d]).ToArray(), a.offset);
        return Autograd.Record("Permute", o, [a], g => [Permute(g, inverse)]);      // dL/da = permute(g, inverse)
    }

    /// <summary>Swaps two dimensions. A view.</summary>
    public static Tensor Transpose(Tensor a, int dim0, int dim1)
    {
        int d0 = Shapes.Axis("Transpose", dim0, a.Rank), d1 = Shapes.Axis("Transpose", dim1, a.Rank);
        if (a.Rank == 0) return a;   // torch: a 0-d tensor transposes to itself
        var dims = Enumerable.Range(0, a.Rank).ToArray();
        (dims[d0], dims[d1]) = (dims[d1], dims[d0]);
        return Permute(a, dims);
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/>.</summary>
    public static Tensor Unsqueeze(Tensor a, int dim)
    {
        int d = Shapes.Axis("Unsqueeze", dim, a.Rank + 1);
        var shape = a.shape.ToList();
        shape.Insert(d, 1);
        return Reshape(a, shape.ToArray());
    }

    /// <summary>Removes dimension <paramref name="dim"/> if it has size 1 (all size-1 dims when null); a 0-d tensor is returned as it is.</summary>
    public static Tensor Squeeze(Tensor a, int? dim = null)
    {
        if (dim is int dd)
        {
            int d = Shapes.Axis("Squeeze", dd, a.Rank);
            return a.Rank == 0 || a.shape[d] != 1 ? a : Reshape(a, a.shape.Where((_, i) => i != d).ToArray());
        }
        return Reshape(a, a.shape.Where(s => s != 1).ToArray());
    }

    /// <summary>Broadcasts to a larger shape without copying (stride 0 on the new dims); −1 keeps a size.</summary>
    public static Tensor Expand(Tensor a, IReadOnlyList<int> shape)
    {
        var target = shape.ToArray();
        int lead = target.Length - a.Rank;
        if (lead < 0) throw new ArgumentException($"Expand: cannot expand {Shapes.Format(a.shape)} to fewer dims {Shapes.Format(target)}");
        for (int d = 0; d < target.Length; d++)
        {
            if (target[d] == -1 && d >= lead) target[d] = a.shape[d - lead];
            int src = d < lead ? 1 : a.shape[d - lead];
            if (src != target[d] && src != 1)
                throw new ArgumentException($"Expand: size {src} of dim {d - lead} of {Shapes.Format(a.shape)} cannot be expanded to {target[d]} (target {Shapes.Format(target)})");
        }
        if (Shapes.Equal(target, a.shape)) return a;
        var o = new Tensor(a.storage, target, Shapes.BroadcastStrides(a, target), a.offset);
        return Autograd.Record("Expand", o, [a], g => [SumTo(g, a.shape)]);          // dL/da = g summed over the expanded dims
    }

    /// <summary>The same values in contiguous row-major storage (this tensor itself if it already is).</summary>
    public static Tensor Contiguous(Tensor a) =>
        a.IsContiguous ? a : Autograd.Record("Contiguous", CopyKernel(a, a.DType), [a], g => [g]);   // dL/da = g

    /// <summary>A copy with its own storage.</summary>
    public static Tensor Clone(Tensor a) =>
        Autograd.Record("Clone", CopyKernel(a, a.DType), [a], g => [g]);              // dL/da = g

    /// <summary>Converts to <paramref name="dtype"/>; the gradient is converted back.</summary>
    public static Tensor ToDType(Tensor a, DType dtype) =>
        a.DType == dtype ? a : Autograd.Record("ToDType", CopyKernel(a, dtype), [a], g => [ToDType(g, a.DType)]);   // dL/da = g in a's dtype

    /// <summary>Elements start, start+step, … below end along <paramref name="dim"/> (Python's <c>a[start:end:step]</c>). A view.</summary>
    public static Tensor Slice(Tensor a, int dim, int start, int end, int step = 1)
    {
        if (a.Rank == 0) throw new ArgumentException("Slice: cannot slice a 0-d tensor");
        int d = Shapes.Axis("Slice", dim, a.Rank);
        int size = a.shape[d];
        if (step <= 0) throw new ArgumentException($"Slice: step must be positive, got {step}");
        if (start < 0) start += size;
        if (end < 0) end += size;
        start = Math.Clamp(start, 0, size);
        end = Math.Clamp(end, start, size);
        int count = (end - start + step - 1) / step;
        var shape = (int[])a.shape.Clone();
        var strides = (int[])a.strides.Clone();
        shape[d] = count;
        strides[d] *= step;
        var o = new Tensor(a.storage, shape, strides, a.offset + start * a.strides[d]);
        return Autograd.Record("Slice", o, [a], g => [SliceBackward(g, a.shape, d, start, step)]);   // dL/da = g scattered into zeros
    }

    /// <summary>Zeros of <paramref name="shape"/> with g written into the slice: the adjoint of <see cref="Slice"/>.</summary>
    static Tensor SliceBackward(Tensor g, int[] shape, int dim, int start, int step)
    {
        var o = Tensor.Zeros(shape, g.DType);
        var strides = (int[])o.strides.Clone();
        strides[dim] *= step;
        var window = new Tensor(o.storage, (int[])g.shape.Clone(), strides, start * o.strides[dim]);
        StridedCopy(g.shape, g, g.strides, window, window.offset, window.strides);
        int end = start + step * g.shape[dim];
        return Autograd.Record("SliceBackward", o, [g], gg => [Slice(gg, dim, start, end, step)]);   // dL/dg = the slice of gg (adjoint of a scatter into a slice)
    }

    /// <summary>The sub-tensor at <paramref name="index"/> along <paramref name="dim"/>, that dim removed (<c>a[..., index, ...]</c>).</summary>
    public static Tensor Select(Tensor a, int dim, int index)
    {
        if (a.Rank == 0) throw new ArgumentException("Select: cannot index a 0-d tensor");
        int d = Shapes.Axis("Select", dim, a.Rank);
        int i = index < 0 ? index + a.shape[d] : index;
        if (i < 0 || i >= a.shape[d]) throw new ArgumentOutOfRangeException(nameof(index), $"Select: index {index} is out of range for dim {dim} of size {a.shape[d]} (shape {Shapes.Format(a.shape)})");
        return Squeeze(Slice(a, d, i, i + 1), d);
    }

    /// <summary>Joins tensors along an existing dimension.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Cat: expected at least one tensor");
        var first = tensors[0];
        if (first.Rank == 0) throw new ArgumentException("Cat: 0-d tensors cannot be concatenated; Stack them");   // other ranks fail the shape check below
        int d = Shapes.Axis("Cat", dim, first.Rank);
        var shape = (int[])first.shape.Clone();
        shape[d] = 0;
        foreach (var t in tensors)
        {
            CheckSameDType("Cat", first, t);
            bool ok = t.Rank == first.Rank;
            for (int k = 0; ok && k < t.Rank; k++) ok = k == d || t.shape[k] == first.shape[k];
            if (!ok) throw new ArgumentException($"Cat: shapes {string.Join(", ", tensors.Select(x => Shapes.Format(x.shape)))} differ outside dim {dim}");
            shape[d] += t.shape[d];
        }
        var o = Tensor.Empty(shape, first.DType);
        var starts = new int[tensors.Count];
        int at = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            starts[i] = at;
            var window = new Tensor(o.storage, (int[])t.shape.Clone(), o.strides, at * o.strides[d]);
            StridedCopy(t.shape, t, t.strides, o, window.offset, window.strides);
            at += t.shape[d];
        }
        var inputs = tensors.ToArray();
        return Autograd.Record("Cat", o, inputs, g =>                               // dL/dtᵢ = the slice of g where tᵢ sits
            inputs.Select((t, i) => t.RequiresGrad ? Slice(g, d, starts[i], starts[i] + t.shape[d]) : null).ToArray());
    }

    /// <summary>Joins tensors of one shape along a new dimension.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Stack: expected at least one tensor");
        foreach (var t in tensors)
            if (!Shapes.Equal(t.shape, tensors[0].shape))
                throw new ArgumentException($"Stack: all tensors must have one shape, got {string.Join(", ", tensors.Select(x => Shapes.Format(x.shape)))}");
        int d = Shapes.Axis("Stack", dim, tensors[0].Rank + 1);
        return Cat(tensors.Select(t => Unsqueeze(t, d)).ToArray(), d);
    }

    static int[] InferShape(string op, Tensor a, int[] shape)
    {
        var target = (int[])shape.Clone();
        int infer = -1, known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"{op}: only one dimension can be -1, got {Shapes.Format(shape)}");
                infer = i;
            }
            else if (target[i] < 0) throw new ArgumentException($"{op}: invalid size {target[i]} in {Shapes.Format(shape)}");
            else known *= target[i];
        }
        int n = a.Numel;
        if (infer >= 0)
        {
            if (known == 0 || n % known != 0) throw new ArgumentException($"{op}: shape {Shapes.Format(shape)} is invalid for input of shape {Shapes.Format(a.shape)} ({n} elements)");
            target[infer] = n / known;
        }
        if (Shapes.Numel(target) != n) throw new ArgumentException($"{op}: shape {Shapes.Format(shape)} is invalid for input of shape {Shapes.Format(a.shape)} ({n} elements)");
        return target;
    }
}
