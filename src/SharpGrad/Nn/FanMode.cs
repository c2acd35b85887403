namespace SharpGrad.Nn;

/// <summary>Which fan Kaiming initialisation preserves: the forward pass's variance (FanIn) or the backward pass's (FanOut).</summary>
public enum FanMode
{
    /// <summary>Inputs per output unit: in_channels × kernel size.</summary>
    FanIn,
    /// <summary>Outputs per input unit: out_channels × kernel size.</summary>
    FanOut,
}
