using System.Numerics;

namespace SharpGrad;

/// <summary>
/// An n-dimensional array of float32 or float64 with shape and strides over a shared storage, and the
/// autograd state of PyTorch's tensors: <see cref="RequiresGrad"/>, <see cref="Grad"/>, <see cref="Backward"/>.
/// Every operation is in <see cref="F"/>; the methods and operators here are shorthands for it.
/// </summary>
public sealed partial class Tensor
{
    internal readonly Storage storage;
    internal readonly int[] shape;
    internal readonly int[] strides;
    internal readonly int offset;

    bool requiresGrad;
    internal Node? GradFn;
    internal bool retainsGrad;

    internal Tensor(Storage storage, int[] shape, int[] strides, int offset)
    {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    internal Tensor(Storage storage, int[] shape) : this(storage, shape, Shapes.ContiguousStrides(shape), 0) { }

    /// <summary>Element type.</summary>
    public DType DType => storage.DType;

    /// <summary>Size of each dimension.</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>Elements to skip in storage to move one step along each dimension.</summary>
    public IReadOnlyList<int> Strides => strides;

    /// <summary>Number of dimensions (PyTorch's <c>dim()</c>).</summary>
    public int Rank => shape.Length;

    /// <summary>Number of elements.</summary>
    public int Numel => Shapes.Numel(shape);

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Size(int dim) => shape[Shapes.Axis("Size", dim, Rank)];

    /// <summary>
    /// True when the elements lie in row-major order without gaps, so the storage can be read as a span. A tensor with
    /// no elements is contiguous whatever its strides, as in PyTorch.
    /// </summary>
    public bool IsContiguous
    {
        get
        {
            int s = 1;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (shape[d] != 1 && strides[d] != s) return Array.IndexOf(shape, 0) >= 0;
                s *= shape[d];
            }
            return true;
        }
    }

    /// <summary>Whether operations on this tensor are recorded for <see cref="Backward"/>. Only leaves may change it.</summary>
    public bool RequiresGrad
    {
        get => requiresGrad;
        set
        {
            if (GradFn is not null)
                throw new InvalidOperationException($"RequiresGrad: can only be changed on a leaf tensor; this one is the output of {GradFn.Name}. Use Detach() to get a leaf");
            requiresGrad = value;
        }
    }

    internal void MarkNonLeaf(Node node)
    {
        GradFn = node;
        requiresGrad = true;
    }

    /// <summary>
    /// The accumulated gradient dL/dself after <see cref="Backward"/> (leaves, and non-leaves that called <see cref="RetainGrad"/>).
    /// A tensor stored here outlives any <see cref="TensorScope"/> it was made in.
    /// </summary>
    public Tensor? Grad
    {
        get => grad;
        set
        {
            if (value is not null)
            {
                value.storage.Scope = null;
                value.storage.IsGradBuffer = false;   // the caller may hold it: ZeroGrad must not recycle it
            }
            grad = value;
        }
    }

    Tensor? grad;

    /// <summary>Sets a gradient that backward computed; a buffer only this gradient uses is recycled by <see cref="ClearGrad"/>.</summary>
    internal void SetGradFromBackward(Tensor value, bool ownsBuffer)
    {
        value.storage.Scope = null;
        value.storage.IsGradBuffer = ownsBuffer;
        grad = value;
    }

    /// <summary>ZeroGrad's work: drops the gradient, and recycles its buffer when backward allocated it for this tensor alone.</summary>
    internal void ClearGrad()
    {
        if (grad is { } g && g.storage.IsGradBuffer) g.storage.Recycle();
        grad = null;
    }

    /// <summary>True for tensors created by the user rather than by a recorded operation.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>Name of the operation that produced this tensor (PyTorch's <c>grad_fn</c>), or null for leaves.</summary>
    public string? GradFnName => GradFn?.Name;

    /// <summary>Asks <see cref="Backward"/> to keep this non-leaf tensor's gradient in <see cref="Grad"/>.</summary>
    public Tensor RetainGrad()
    {
        if (!requiresGrad) throw new InvalidOperationException("RetainGrad: the tensor does not require grad");
        retainsGrad = true;
        return this;
    }

    /// <summary>
    /// Backpropagates from this tensor: accumulates dself/dleaf into every leaf's <see cref="Grad"/>.
    /// A scalar needs no <paramref name="gradient"/>; any other tensor needs dL/dself of its shape.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false)
        => Engine.Run([this], gradient is null ? null : [gradient], null, retainGraph || createGraph, createGraph, "Backward");

    /// <summary>A tensor sharing this one's storage, cut from the graph (a leaf with RequiresGrad = false).</summary>
    public Tensor Detach() => new(storage, shape, strides, offset);

    /// <summary>The single value of a one-element tensor, as a double.</summary>
    public double Item()
    {
        if (Numel != 1) throw new InvalidOperationException($"Item: only one-element tensors can be converted to a number, this one has shape {Shapes.Format(shape)}");
        return GetRaw(offset);
    }

    /// <summary>The elements in row-major order, converted to double.</summary>
    public double[] ToArray()
    {
        var c = Contiguous();
        return DTypeDispatch.Run<ToElements<double>, double[]>(c.DType, new(c));
    }

    /// <summary>The elements in row-major order as float.</summary>
    public float[] ToFloatArray()
    {
        var c = Contiguous();
        return DTypeDispatch.Run<ToElements<float>, float[]>(c.DType, new(c));
    }

    /// <summary>A rank-2 tensor as a double[rows, cols].</summary>
    public double[,] ToArray2D()
    {
        if (Rank != 2) throw new InvalidOperationException($"ToArray2D: expected a rank-2 tensor, got shape {Shapes.Format(shape)}");
        var flat = ToArray();
        var result = new double[shape[0], shape[1]];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }

    /// <summary>The element at the given indices (one per dimension), as a double.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public double this[params int[] index]
    {
        get
        {
            return GetRaw(ElementOffset(index));
        }
    }

    int ElementOffset(int[] index)
    {
        if (index.Length != Rank) throw new ArgumentException($"Tensor indexer: {index.Length} indices for a tensor of shape {Shapes.Format(shape)}");
        int at = offset;
        for (int d = 0; d < index.Length; d++)
        {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) throw new IndexOutOfRangeException($"Tensor indexer: index {index[d]} is out of range for dim {d} of size {shape[d]} (shape {Shapes.Format(shape)})");
            at += i * strides[d];
        }
        return at;
    }

    /// <summary>PyTorch-style printout, e.g. <c>tensor([[1.0000, 2.0000]], grad_fn=&lt;Mul&gt;)</c>.</summary>
    public override string ToString() => TensorFormatter.Format(this);

    // ---- internal access for ops and kernels ----

    internal T[] Data<T>() where T : unmanaged => (T[])storage.Data;

    /// <summary>The elements as a span; only for contiguous tensors.</summary>
    internal Span<T> Span<T>() where T : unmanaged
    {
        if (!IsContiguous) throw new InvalidOperationException("internal: Span() on a non-contiguous tensor");
        int n = Numel;
        return n == 0 ? default : new Span<T>((T[])storage.Data, offset, n);   // an empty view's offset may lie past the storage
    }

    /// <summary>The elements as memory (storable, unlike a span); only for contiguous tensors.</summary>
    internal Memory<T> Memory<T>() where T : unmanaged
    {
        if (!IsContiguous) throw new InvalidOperationException("internal: Memory() on a non-contiguous tensor");
        int n = Numel;
        return n == 0 ? default : new Memory<T>((T[])storage.Data, offset, n);
    }

    internal static Tensor Empty(int[] shape, DType dtype) => new(Storage.Allocate(dtype, Shapes.Numel(shape)), shape);

    internal void CheckInPlace(string op)
    {
        if (Autograd.IsGradEnabled && requiresGrad)
            throw new InvalidOperationException(IsLeaf
                ? $"{op}: a leaf tensor that requires grad cannot be changed in place while gradients are recorded; wrap the update in Autograd.NoGrad()"
                : $"{op}: in-place change of a tensor that is part of the graph (output of {GradFn!.Name}); use the out-of-place op");
    }

    internal void BumpVersion() => storage.Version++;
}
