namespace SharpGrad.Nn;

/// <summary>Group normalisation of [N, C, ...], like <c>torch.nn.GroupNorm</c>: statistics per sample over each group of C/G channels; γ = 1, β = 0 per channel.</summary>
public sealed class GroupNorm : Module
{
    /// <summary>Number of groups G.</summary>
    public int NumGroups { get; }
    /// <summary>Number of channels C.</summary>
    public int NumChannels { get; }
    /// <summary>ε added to the variance.</summary>
    public double Eps { get; }
    /// <summary>γ [C], or null without affine.</summary>
    public Tensor? Weight { get; }
    /// <summary>β [C], or null without affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>Creates the layer; <paramref name="numGroups"/> must divide <paramref name="numChannels"/>.</summary>
    public GroupNorm(int numGroups, int numChannels, double eps = 1e-5, bool affine = true, DType dtype = DType.Float32)
    {
        if (numGroups <= 0 || numChannels <= 0 || numChannels % numGroups != 0)
            throw new ArgumentException($"GroupNorm: num_channels {numChannels} must be a positive multiple of num_groups {numGroups}");
        (NumGroups, NumChannels, Eps) = (numGroups, numChannels, eps);
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones([numChannels], dtype));
            Bias = RegisterParameter("bias", Tensor.Zeros([numChannels], dtype));
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank < 2 || input.Shape[1] != NumChannels)
            throw new ArgumentException($"GroupNorm: input {Shapes.Format(input.shape)} must be [N, {NumChannels}, ...]");
        return F.GroupNorm(input, NumGroups, Weight, Bias, Eps);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{PyRepr.Int(NumGroups)}, {PyRepr.Int(NumChannels)}, eps={PyRepr.Float(Eps)}, affine={PyRepr.Bool(Weight is not null)}";
}
