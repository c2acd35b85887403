namespace SharpGrad.Kernels;

/// <summary>
/// Which instruction set a kernel runs on. <see cref="Auto"/> picks the widest the CPU supports;
/// the others force one variant so tests can check each against the same oracle.
/// </summary>
internal enum KernelIsa
{
    /// <summary>The widest supported: AVX-512, else AVX2+FMA, else portable.</summary>
    Auto,

    /// <summary>AVX-512F (Vector512, 32 zmm registers, FMA).</summary>
    Avx512,

    /// <summary>AVX2 with FMA3 (Vector256, 16 ymm registers).</summary>
    Avx2,

    /// <summary><see cref="System.Numerics.Vector{T}"/> with separate multiply and add: runs anywhere.</summary>
    Portable,
}
