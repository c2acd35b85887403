namespace SharpGrad.Nn;

/// <summary>Pads the last one or two dims with <see cref="F.Pad"/>; PyTorch's order (left, right[, top, bottom]); negative amounts crop.</summary>
public abstract class PadNd : Module
{
    readonly string name;
    readonly int dims;

    /// <summary>(left, right) or (left, right, top, bottom).</summary>
    public IReadOnlyList<int> Padding { get; }
    /// <summary>How the border is filled.</summary>
    public PadMode Mode { get; }
    /// <summary>The fill of constant mode.</summary>
    public double Value { get; }

    /// <summary>Padding of <paramref name="dims"/> trailing dims.</summary>
    protected PadNd(string name, int dims, int[] padding, PadMode mode, double value)
    {
        if (padding.Length != 2 * dims)
            throw new ArgumentException($"{name}: padding needs {2 * dims} values, got ({string.Join(", ", padding)})");
        (this.name, this.dims, Padding, Mode, Value) = (name, dims, padding, mode, value);
    }

    /// <inheritdoc/>
    /// <remarks>PyTorch's constant pads print <c>padding=…, value=…</c>; its reflection and replication pads the tuple alone.</remarks>
    protected override string ExtraRepr() => Mode == PadMode.Constant ? $"padding={PyRepr.Tuple([.. Padding])}, value={PyRepr.Float(Value)}" : PyRepr.Tuple([.. Padding]);

    /// <summary>The same amount on every side.</summary>
    protected static int[] Same(int padding, int dims) => Enumerable.Repeat(padding, 2 * dims).ToArray();

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != dims + 1 && input.Rank != dims + 2)
            throw new ArgumentException($"{name}: input {Shapes.Format(input.shape)} must have rank {dims + 1} or {dims + 2}");
        return F.Pad(input, [.. Padding], Mode, Value);
    }
}

/// <summary>Zero padding of [N, C, H, W] (<c>torch.nn.ZeroPad2d</c>).</summary>
public sealed class ZeroPad2d : PadNd
{
    /// <summary>(left, right, top, bottom).</summary>
    public ZeroPad2d(int[] padding) : base("ZeroPad2d", 2, padding, PadMode.Constant, 0) { }

    /// <summary>The same amount on all four sides.</summary>
    public ZeroPad2d(int padding) : this(Same(padding, 2)) { }

    /// <inheritdoc/>
    protected override string ExtraRepr() => PyRepr.Tuple([.. Padding]);   // PyTorch's ZeroPad2d leaves out its value 0
}

/// <summary>Constant padding of [N, C, L] (<c>torch.nn.ConstantPad1d</c>).</summary>
public sealed class ConstantPad1d : PadNd
{
    /// <summary>(left, right).</summary>
    public ConstantPad1d(int[] padding, double value) : base("ConstantPad1d", 1, padding, PadMode.Constant, value) { }
    /// <summary>The same amount on both sides.</summary>
    public ConstantPad1d(int padding, double value) : this(Same(padding, 1), value) { }
}

/// <summary>Constant padding of [N, C, H, W] (<c>torch.nn.ConstantPad2d</c>).</summary>
public sealed class ConstantPad2d : PadNd
{
    /// <summary>(left, right, top, bottom).</summary>
    public ConstantPad2d(int[] padding, double value) : base("ConstantPad2d", 2, padding, PadMode.Constant, value) { }
    /// <summary>The same amount on all four sides.</summary>
    public ConstantPad2d(int padding, double value) : this(Same(padding, 2), value) { }
}

/// <summary>Reflection padding of [N, C, L] (<c>torch.nn.ReflectionPad1d</c>).</summary>
public sealed class ReflectionPad1d : PadNd
{
    /// <summary>(left, right).</summary>
    public ReflectionPad1d(int[] padding) : base("ReflectionPad1d", 1, padding, PadMode.Reflect, 0) { }
    /// <summary>The same amount on both sides.</summary>
    public ReflectionPad1d(int padding) : this(Same(padding, 1)) { }
}

/// <summary>Reflection padding of [N, C, H, W] (<c>torch.nn.ReflectionPad2d</c>).</summary>
public sealed class ReflectionPad2d : PadNd
{
    /// <summary>(left, right, top, bottom).</summary>
    public ReflectionPad2d(int[] padding) : base("ReflectionPad2d", 2, padding, PadMode.Reflect, 0) { }
    /// <summary>The same amount on all four sides.</summary>
    public ReflectionPad2d(int padding) : this(Same(padding, 2)) { }
}

/// <summary>Replication padding of [N, C, L] (<c>torch.nn.ReplicationPad1d</c>).</summary>
public sealed class ReplicationPad1d : PadNd
{
    /// <summary>(left, right).</summary>
    public ReplicationPad1d(int[] padding) : base("ReplicationPad1d", 1, padding, PadMode.Replicate, 0) { }
    /// <summary>The same amount on both sides.</summary>
    public ReplicationPad1d(int padding) : this(Same(padding, 1)) { }
}

/// <summary>Replication padding of [N, C, H, W] (<c>torch.nn.ReplicationPad2d</c>).</summary>
public sealed class ReplicationPad2d : PadNd
{
    /// <summary>(left, right, top, bottom).</summary>
    public ReplicationPad2d(int[] padding) : base("ReplicationPad2d", 2, padding, PadMode.Replicate, 0) { }
    /// <summary>The same amount on all four sides.</summary>
    public ReplicationPad2d(int padding) : this(Same(padding, 2)) { }
}

/// <summary>Circular padding of [N, C, L]: each end continues with the other (<c>torch.nn.CircularPad1d</c>, PyTorch 2.1).</summary>
public sealed class CircularPad1d : PadNd
{
    /// <summary>(left, right), each at most L.</summary>
    public CircularPad1d(int[] padding) : base("CircularPad1d", 1, padding, PadMode.Circular, 0) { }
    /// <summary>The same amount on both sides.</summary>
    public CircularPad1d(int padding) : this(Same(padding, 1)) { }
}

/// <summary>Circular padding of [N, C, H, W]: each edge continues with the opposite one (<c>torch.nn.CircularPad2d</c>, PyTorch 2.1).</summary>
public sealed class CircularPad2d : PadNd
{
    /// <summary>(left, right, top, bottom), each at most the size it wraps.</summary>
    public CircularPad2d(int[] padding) : base("CircularPad2d", 2, padding, PadMode.Circular, 0) { }
    /// <summary>The same amount on all four sides.</summary>
    public CircularPad2d(int padding) : this(Same(padding, 2)) { }
}
