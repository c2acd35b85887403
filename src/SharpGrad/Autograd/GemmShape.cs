namespace SharpGrad;

/// <summary>A GEMM's shape: C[m×n] = op(A)[m×k] · op(B)[k×n], op a transpose where flagged.</summary>
public readonly record struct GemmShape(int M, int N, int K, bool TransA, bool TransB)
{
    /// <summary>m×n×k, with ᵀ on a transposed operand: 64×120×400 (Bᵀ).</summary>
    public override string ToString() =>
        $"{M}×{N}×{K}{(TransA || TransB ? $" ({(TransA ? "Aᵀ" : "")}{(TransA && TransB ? ", " : "")}{(TransB ? "Bᵀ" : "")})" : "")}";
}
