using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// Matrix product with <c>torch.matmul</c>'s rules: 1-D operands are promoted to a row/column and the
    /// added dim removed after; leading (batch) dims broadcast.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        CheckSameDType("MatMul", a, b);
        if (a.Rank == 0 || b.Rank == 0)
            throw new ArgumentException($"MatMul: both arguments need at least 1 dimension, got {Shapes.Format(a.shape)} and {Shapes.Format(b.shape)}");
        if (a.Rank == 1 && b.Rank == 1) return Reshape(MatMul(Unsqueeze(a, 0), Unsqueeze(b, 1)), []);
        if (a.Rank == 1) return Squeeze(MatMul(Unsqueeze(a, 0), b), -2);
        if (b.Rank == 1) return Squeeze(MatMul(a, Unsqueeze(b, 1)), -1);
        if (a.shape[^1] != b.shape[^2])
            throw new ArgumentException($"MatMul: {Shapes.Format(a.shape)} @ {Shapes.Format(b.shape)}: inner dimensions {a.shape[^1]} and {b.shape[^2]} differ");
        if (a.Rank > 2 && b.Rank == 2)
        {
            // [..., m, k] @ [k, n] is one [(…·m), k] @ [k, n] product, as torch folds it: one large GEMM instead of one per
            // batch entry, and dL/dB = Aᵀ·G then comes out summed over the batch instead of per entry and reduced after.
            int[] lead = a.shape[..^1];
            var folded = MatMul(Reshape(a, Shapes.Numel(lead), a.shape[^1]), b);
            return Reshape(folded, [.. lead, b.shape[1]]);
        }
        var o = BatchedGemm(a, b);
        return Autograd.Record("MatMul", o, [a, b], g => [
            a.RequiresGrad ? MatMul(g, Transpose(b, -1, -2)) : null,             // dL/dA = G·Bᵀ
            b.RequiresGrad ? GradOfRight(a, b, g) : null,                          // dL/dB = Aᵀ·G
        ], a, b);
    }

    // dL/dB = Aᵀ·G. When B is a transposed view of a row-major matrix (Linear's Wᵀ), the same product is formed as
    // (Gᵀ·A)ᵀ, so the gradient reaching W through the transpose is row-major like W: no copy before the optimizer.
    static Tensor GradOfRight(Tensor a, Tensor b, Tensor g) =>
        a.Rank == 2 && b.Rank == 2 && g.Rank == 2 && b.shape[0] > 1 && b.strides[0] == 1
            ? Transpose(MatMul(Transpose(g, 0, 1), a), 0, 1)
            : MatMul(Transpose(a, -1, -2), g);

    /// <summary>C[batch] = A[batch]·B[batch] over broadcast batch dims; transposed views are passed to GEMM without copying.</summary>
    static Tensor BatchedGemm(Tensor a, Tensor b)
    {
        int m = a.shape[^2], k = a.shape[^1], n = b.shape[^1];
        var batch = Shapes.Broadcast("MatMul", a.shape[..^2], b.shape[..^2]);
        var (aMat, transA, lda) = AsMatrix(a);
        var (bMat, transB, ldb) = AsMatrix(b);
        var o = Tensor.Empty([.. batch, m, n], a.DType);
        int batchCount = Shapes.Numel(batch);
        if (o.Numel == 0) return o;
        if (k == 0) { o.FillRaw(0); return o; }   // a sum of no products; the empty operands have no batch offsets to read
        var aBatchStrides = BatchStrides(aMat, batch);
        var bBatchStrides = BatchStrides(bMat, batch);
        var index = new int[batch.Length];
        for (int i = 0; i < batchCount; i++)
        {
            int ao = aMat.offset, bo = bMat.offset, rest = i;
            for (int d = batch.Length - 1; d >= 0; d--)
            {
                index[d] = rest % batch[d];
                rest /= batch[d];
                ao += index[d] * aBatchStrides[d];
                bo += index[d] * bBatchStrides[d];
            }
            DTypeDispatch.Run(a.DType, new GemmCall(transA, transB, m, n, k, aMat, ao, lda, bMat, bo, ldb, o, i * m * n, Accumulate: false));
        }
        return o;
    }

    /// <summary>Reads the last two dims as a row-major matrix or a transposed one; copies only when neither stride is 1.</summary>
    static (Tensor t, bool trans, int ld) AsMatrix(Tensor t)
    {
        int rows = t.shape[^2], cols = t.shape[^1];
        int sr = rows == 1 ? Math.Max(cols, 1) : t.strides[^2];
        int sc = cols == 1 ? 1 : t.strides[^1];
        if (sc == 1 && sr >= cols) return (t, false, Math.Max(sr, 1));
        if (sr == 1 && sc >= rows && cols > 1) return (t, true, sc);
        var c = CopyKernel(t, t.DType);
        return (c, false, Math.Max(cols, 1));
    }

    static int[] BatchStrides(Tensor t, int[] batch)
    {
        var s = new int[batch.Length];
        int shift = batch.Length - (t.Rank - 2);
        for (int d = shift; d < batch.Length; d++)
            s[d] = t.shape[d - shift] == 1 ? 0 : t.strides[d - shift];
        return s;
    }

    // One matrix product of the batch: A at `AOffset`, B at `BOffset` into (or, accumulating, onto) C's m×n block at `COffset`.
    readonly record struct GemmCall(bool TransA, bool TransB, int M, int N, int K, Tensor A, int AOffset, int Lda, Tensor B, int BOffset, int Ldb,
        Tensor C, int COffset, bool Accumulate, Tensor? Bias = null, GemmEpilogue Epilogue = GemmEpilogue.None, Tensor? Gate = null,
        int GateOffset = 0) : IDTypeAction
    {
        // Bias, when given, is a contiguous [N]; Gate a contiguous [M, N] at GateOffset, laid out as C.
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Gemm.Multiply<T>(TransA, TransB, M, N, K, A.Data<T>().AsSpan(AOffset), Lda, B.Data<T>().AsSpan(BOffset), Ldb,
                C.Data<T>().AsSpan(COffset, M * N), N, Accumulate, Bias is null ? default : Bias.Data<T>().AsSpan(Bias.offset, N),
                Epilogue, Gate is null ? default : Gate.Data<T>().AsSpan(GateOffset, M * N));
    }
}
