namespace SharpGrad;

/// <summary>Element type of a tensor. Float32 trains; Float64 runs gradient checks and reproduces the assignment's numbers exactly.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float (PyTorch's default, <c>torch.float32</c>).</summary>
    Float32,
    /// <summary>64-bit IEEE float (<c>torch.float64</c>).</summary>
    Float64,
}

/// <summary>Helpers on <see cref="DType"/>.</summary>
public static class DTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch { DType.Float32 => 4, _ => 8 };

    /// <summary>PyTorch's name of the type, e.g. <c>float32</c>.</summary>
    public static string Name(this DType dtype) => dtype switch { DType.Float32 => "float32", _ => "float64" };
}
