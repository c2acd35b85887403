namespace SharpGrad.Nn;

/// <summary>
/// The answer of <see cref="ConvStructure.TryAsConv2d"/>: the convolution a dense layer equals, or null with the
/// reason it is none (the first entry that breaks locality or weight sharing, or the bias that differs).
/// </summary>
/// <param name="Conv">The equivalent convolution, or null.</param>
/// <param name="Reason">Why not, or a one-line confirmation.</param>
public sealed record ConvStructureMatch(Conv2d? Conv, string Reason)
{
    /// <summary>True when the dense layer is a convolution.</summary>
    public bool IsConvolution => Conv is not null;
}
