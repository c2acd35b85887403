using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// y = relu(x·W1ᵀ + b1)·W2ᵀ + b2: <see cref="Nn.TransformerEncoderLayer"/>'s feed-forward block (ReLU, no dropout between)
    /// as one op, Linear → ReLU → Linear to the bit, forward and backward:
    /// dL/dh = (g·W2)⊙[h &gt; 0]; dL/dx = dL/dh·W1, dL/dW1 = (dL/dh)ᵀ·x, dL/db1 = Σ_rows dL/dh; dL/dW2 = gᵀ·h, dL/db2 = Σ_rows g.
    /// The ReLU runs on each tile of the first GEMM as it leaves the kernel, and the backward's gate [h &gt; 0] on each tile of
    /// g·W2, so neither is a pass of its own. The backward goes through the rows in blocks (<see cref="FeedForwardBlockRows"/>
    /// per thread) whose dL/dh stays in L2, consumed by dL/dx, dL/dW1 and dL/db1 before the next block: the benchmark layer's
    /// dL/dh, [2048, 512], is 4 MiB, otherwise written to memory and read back three times (one thread: 8.8 → 8.3 ms for
    /// this op's backward, interleaved runs). dL/dW1 and dL/db1 carry each element's sum on from block to block, in the order
    /// one product over all rows takes, and every other element is one block's: the bits are the unblocked ones, for any
    /// block size.
    /// </summary>
    internal static Tensor ReluFeedForward(Tensor input, Tensor w1, Tensor b1, Tensor w2, Tensor b2)
    {
        const string op = "ReluFeedForward";
        CheckLinear(op, input, w1, b1);
        CheckSameDType(op, input, w2);
        CheckSameDType(op, input, b2);
        if (w2.Rank != 2 || w2.shape[1] != w1.shape[0] || b2.Rank != 1 || b2.shape[0] != w2.shape[0])
            throw new ArgumentException($"{op}: expected w2 [out, {w1.shape[0]}] and b2 [out] after w1 {Shapes.Format(w1.shape)}; " +
                $"got w2 {Shapes.Format(w2.shape)}, b2 {Shapes.Format(b2.shape)}");
        if (input.Rank != 2)
        {
            int[] lead = input.shape[..^1];
            var folded = ReluFeedForward(Reshape(input, Shapes.Numel(lead), input.shape[^1]), w1, b1, w2, b2);
            return Reshape(folded, [.. lead, w2.shape[0]]);
        }
        var hidden = Affine(input, w1, b1, GemmEpilogue.Relu);
        var o = Affine(hidden, w2, b2, GemmEpilogue.None);
        return Autograd.Record(op, o, [input, w1, b1, w2, b2], g =>
        {
            if (Autograd.IsGradEnabled)
            {
                // create_graph: the gradients must be a graph, so the unfused ops, h recomputed as one.
                var h = ReLU(Linear(input, w1, b1));
                var dLdh = input.RequiresGrad || w1.RequiresGrad || b1.RequiresGrad ? ReluGate(MatMul(g, w2), h) : null;
                return [
                    input.RequiresGrad ? MatMul(dLdh!, w1) : null,                   // dL/dx = dL/dh·W1 (dL/dh: g·W2 where h > 0, else 0)
                    w1.RequiresGrad ? MatMul(Transpose(dLdh!, 0, 1), input) : null,  // dL/dW1 = (dL/dh)ᵀ·x
                    b1.RequiresGrad ? Sum(dLdh!, 0) : null,                          // dL/db1 = Σ_rows dL/dh
                    w2.RequiresGrad ? MatMul(Transpose(g, 0, 1), h) : null,          // dL/dW2 = gᵀ·h
                    b2.RequiresGrad ? Sum(g, 0) : null,                              // dL/db2 = Σ_rows g
                ];
            }
            var (dx, dw1, db1) = new FeedForwardBlocks(input, w1, w2).HiddenGrads(Contiguous(g), hidden, input.RequiresGrad, w1.RequiresGrad, b1.RequiresGrad);
            return [dx, dw1, db1, w2.RequiresGrad ? MatMul(Transpose(g, 0, 1), hidden) : null, b2.RequiresGrad ? Sum(g, 0) : null];
        }, input, w1, w2, hidden);
    }

    /// <summary>Rows per thread in a block of the feed-forward op's backward: dL/dh's block takes 512 KiB (256 rows of 512 floats), a quarter of L2.</summary>
    internal static int FeedForwardBlockRows(int hidden, int elementSize) => Math.Max(16, (1 << 19) / Math.Max(1, hidden * elementSize));

    // The operands of one feed-forward op as GEMM operands, and its backward through the hidden layer block by block. Each
    // product is the one Linear, MatMul and Sum form for the whole (same flags, same strides), cut by rows.
    sealed class FeedForwardBlocks
    {
        public readonly int Rows, In, Hidden, Out;
        readonly Tensor input, x, w1m, w2m;
        readonly bool transX, transW1, transW2;
        readonly int ldx, ldw1, ldw2, blockRows;

        public FeedForwardBlocks(Tensor input, Tensor w1, Tensor w2)
        {
            this.input = input;
            (Rows, In, Hidden, Out) = (input.shape[0], input.shape[1], w1.shape[0], w2.shape[0]);
            (x, transX, ldx) = AsMatrix(input);
            (w1m, transW1, ldw1) = AsMatrix(w1);
            (w2m, transW2, ldw2) = AsMatrix(w2);
            blockRows = Threads.Count * FeedForwardBlockRows(Hidden, input.DType == DType.Float32 ? sizeof(float) : sizeof(double));
        }

        // The block after row r0 ends here; never one row short of the end, which would leave a one-row block for the GEMV
        // (for a weight stored transposed, another summation order than the GEMM's).
        int BlockEnd(int r0)
        {
            int end = Math.Min(Rows, r0 + blockRows);
            return Rows - end == 1 ? Rows : end;
        }

        // Where row r of x starts in its storage: rows ldx apart, or 1 apart when x is a transposed view.
        int XRow(int r) => x.offset + r * (transX ? 1 : ldx);

        /// <summary>dL/dx, dL/dW1, dL/db1 (each null when not wanted) from a contiguous g, dL/dh a block at a time.</summary>
        public (Tensor? Dx, Tensor? DW1, Tensor? Db1) HiddenGrads(Tensor g, Tensor h, bool wantX, bool wantW1, bool wantB1)
        {
            if (!wantX && !wantW1 && !wantB1) return (null, null, null);
            var dx = wantX ? Tensor.Empty([Rows, In], input.DType) : null;
            var dw1 = !wantW1 ? null : Rows == 0 ? Tensor.Zeros([Hidden, In], input.DType) : Tensor.Empty([Hidden, In], input.DType);
            var db1 = wantB1 ? Tensor.Zeros([Hidden], input.DType) : null;   // the rows' sum starts from 0, as Sum's does
            if (Rows == 0) return (dx, dw1, db1);
            var dLdh = Tensor.Empty([Math.Min(Rows, blockRows + 1), Hidden], input.DType);   // the largest block
            for (int r0 = 0, n; r0 < Rows; r0 += n)
            {
                n = BlockEnd(r0) - r0;
                // dL/dh = (g·W2)⊙[h > 0], the gate on each tile as it leaves the kernel
                DTypeDispatch.Run(input.DType, new GemmCall(false, transW2, n, Hidden, Out, g, g.offset + r0 * Out, Out, w2m, w2m.offset, ldw2,
                    dLdh, 0, Accumulate: false, Epilogue: GemmEpilogue.ReluGate, Gate: h, GateOffset: h.offset + r0 * Hidden));
                if (dx is not null)
                    DTypeDispatch.Run(input.DType, new GemmCall(false, transW1, n, In, Hidden, dLdh, 0, Hidden, w1m, w1m.offset, ldw1,
                        dx, r0 * In, Accumulate: false));
                if (dw1 is not null)   // (dL/dh)ᵀ·x: dL/dh read transposed, the sum over rows carried on from the blocks before
                    DTypeDispatch.Run(input.DType, new GemmCall(true, transX, Hidden, In, n, dLdh, 0, Hidden, x, XRow(r0), ldx,
                        dw1, 0, Accumulate: r0 > 0));
                if (db1 is not null) DTypeDispatch.Run(input.DType, new AddRows(dLdh, n, Hidden, db1));
            }
            return (dx, dw1, db1);
        }
    }

    // sum += each of the first `rows` rows of a contiguous [.., width] matrix, in order: Sum(·, 0)'s order, carried on.
    readonly record struct AddRows(Tensor Matrix, int Rows, int Width, Tensor Sum) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Reduce.AddRows<T>(Matrix.Data<T>().AsSpan(Matrix.offset, Rows * Width), Rows, Width, Sum.Data<T>().AsSpan(Sum.offset, Width));
    }
}
