namespace SharpGrad.Nn;

/// <summary>Module form of <see cref="F.MaxPool2d"/>; the stride defaults to the kernel size.</summary>
public sealed class MaxPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null) : Module
{
    /// <summary>Window (kH, kW).</summary>
    public Size2 KernelSize { get; } = kernelSize;
    /// <summary>Step between windows.</summary>
    public Size2 Stride { get; } = stride ?? kernelSize;
    /// <summary>−∞ padding on each side.</summary>
    public Size2 Padding { get; } = padding ?? 0;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => F.MaxPool2d(input, KernelSize, Stride, Padding);
}
