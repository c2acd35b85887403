namespace SharpGrad.Nn;

/// <summary>Module form of <see cref="F.ReLU"/>.</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.ReLU(input);
}

/// <summary>Module form of <see cref="F.LeakyReLU"/>.</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.LeakyReLU(input, NegativeSlope);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"negative_slope={PyRepr.Float(NegativeSlope)}";
}

/// <summary>Module form of <see cref="F.Sigmoid"/>.</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Sigmoid(input);
}

/// <summary>Module form of <see cref="F.Tanh"/>.</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Tanh(input);
}

/// <summary>Module form of <see cref="F.Step"/>: the step neuron (no useful gradient).</summary>
public sealed class Step(double valueAtZero = 1) : Module
{
    /// <summary>The output at exactly 0.</summary>
    public double ValueAtZero { get; } = valueAtZero;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Step(input, ValueAtZero);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"value_at_zero={PyRepr.Float(ValueAtZero)}";
}

/// <summary>Module form of <see cref="F.Softmax"/>.</summary>
public sealed class Softmax(int dim = -1) : Module
{
    /// <summary>The dimension normalised over.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Softmax(input, Dim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={PyRepr.Int(Dim)}";
}

/// <summary>Module form of <see cref="F.LogSoftmax"/>.</summary>
public sealed class LogSoftmax(int dim = -1) : Module
{
    /// <summary>The dimension normalised over.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.LogSoftmax(input, Dim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={PyRepr.Int(Dim)}";
}

/// <summary>Flattens dims startDim..endDim (default: all but the batch dim), like <c>nn.Flatten</c>.</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <summary>First dim flattened.</summary>
    public int StartDim { get; } = startDim;
    /// <summary>Last dim flattened (negative counts from the end).</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Flatten(input, StartDim, EndDim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"start_dim={PyRepr.Int(StartDim)}, end_dim={PyRepr.Int(EndDim)}";
}
