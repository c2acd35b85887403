namespace SharpGrad.Nn;

/// <summary>Module form of <see cref="F.Elu"/>.</summary>
public sealed class ELU(double alpha = 1.0) : Module
{
    /// <summary>The scale of the negative branch.</summary>
    public double Alpha { get; } = alpha;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Elu(input, Alpha);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"alpha={PyRepr.Float(Alpha)}";
}

/// <summary>Module form of <see cref="F.Selu"/>.</summary>
public sealed class SELU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Selu(input);
}

/// <summary>Module form of <see cref="F.Celu"/>.</summary>
public sealed class CELU(double alpha = 1.0) : Module
{
    /// <summary>The scale of the negative branch.</summary>
    public double Alpha { get; } = alpha;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Celu(input, Alpha);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"alpha={PyRepr.Float(Alpha)}";
}

/// <summary>Module form of <see cref="F.Gelu"/>.</summary>
public sealed class GELU(GeluApproximate approximate = GeluApproximate.None) : Module
{
    /// <summary>Exact or tanh form.</summary>
    public GeluApproximate Approximate { get; } = approximate;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Gelu(input, Approximate);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"approximate='{(Approximate == GeluApproximate.Tanh ? "tanh" : "none")}'";
}

/// <summary>Module form of <see cref="F.Silu"/>.</summary>
public sealed class SiLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Silu(input);
}

/// <summary>Module form of <see cref="F.Mish"/>.</summary>
public sealed class Mish : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Mish(input);
}

/// <summary>Module form of <see cref="F.Softplus"/>.</summary>
public sealed class Softplus(double beta = 1.0, double threshold = 20.0) : Module
{
    /// <summary>The sharpness β.</summary>
    public double Beta { get; } = beta;
    /// <summary>Above this βx the output is x itself.</summary>
    public double Threshold { get; } = threshold;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Softplus(input, Beta, Threshold);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"beta={PyRepr.Float(Beta)}, threshold={PyRepr.Float(Threshold)}";
}

/// <summary>Module form of <see cref="F.Softsign"/>.</summary>
public sealed class Softsign : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Softsign(input);
}

/// <summary>Module form of <see cref="F.Hardtanh"/>.</summary>
public sealed class Hardtanh(double minVal = -1.0, double maxVal = 1.0) : Module
{
    /// <summary>Lower bound.</summary>
    public double MinVal { get; } = minVal;
    /// <summary>Upper bound.</summary>
    public double MaxVal { get; } = maxVal;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Hardtanh(input, MinVal, MaxVal);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"min_val={PyRepr.Float(MinVal)}, max_val={PyRepr.Float(MaxVal)}";
}

/// <summary>Module form of <see cref="F.ReLU6"/>.</summary>
public sealed class ReLU6 : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.ReLU6(input);
}

/// <summary>Module form of <see cref="F.Hardsigmoid"/>.</summary>
public sealed class Hardsigmoid : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Hardsigmoid(input);
}

/// <summary>Module form of <see cref="F.Hardswish"/>.</summary>
public sealed class Hardswish : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Hardswish(input);
}

/// <summary>Module form of <see cref="F.Threshold"/>.</summary>
public sealed class Threshold(double threshold, double value) : Module
{
    /// <summary>Inputs at or below it are replaced.</summary>
    public double ThresholdValue { get; } = threshold;
    /// <summary>The replacement.</summary>
    public double Value { get; } = value;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Threshold(input, ThresholdValue, Value);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"threshold={PyRepr.Float(ThresholdValue)}, value={PyRepr.Float(Value)}";
}

/// <summary>Module form of <see cref="F.Glu"/>.</summary>
public sealed class GLU(int dim = -1) : Module
{
    /// <summary>The dimension halved.</summary>
    public int Dim { get; } = dim;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Glu(input, Dim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={PyRepr.Int(Dim)}";
}

/// <summary>Module form of <see cref="F.Softmin"/>.</summary>
public sealed class Softmin(int dim = -1) : Module
{
    /// <summary>The dimension normalised over.</summary>
    public int Dim { get; } = dim;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.Softmin(input, Dim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={PyRepr.Int(Dim)}";
}

/// <summary>PReLU with a learned slope: one shared (numParameters = 1) or one per channel (dim 1); state-dict name <c>weight</c>.</summary>
public sealed class PReLU : Module
{
    /// <summary>The slopes [numParameters].</summary>
    public Tensor Weight { get; }

    /// <summary>Creates the layer with every slope at <paramref name="init"/> (PyTorch: 0.25).</summary>
    public PReLU(int numParameters = 1, double init = 0.25, DType dtype = DType.Float32)
    {
        if (numParameters <= 0) throw new ArgumentOutOfRangeException(nameof(numParameters), $"PReLU: numParameters must be positive, got {numParameters}");
        Weight = RegisterParameter("weight", Tensor.Full([numParameters], init, dtype));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.PReLU(input, Weight);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"num_parameters={PyRepr.Int(Weight.Numel)}";
}
