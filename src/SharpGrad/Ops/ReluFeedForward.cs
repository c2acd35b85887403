using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// y = relu(x·W1ᵀ + b1)·W2ᵀ + b2: <see cref="Nn.TransformerEncoderLayer"/>'s feed-forward block (ReLU, no dropout between)
    /// as one op. The ReLU runs on each tile of the first GEMM as it leaves the kernel, and the backward's gate [h &gt; 0] on
    /// each tile of g·W2, so neither is a pass of its own over the [rows, feedforward] hidden layer (4 MiB each way in the
    /// benchmark's layer). Linear → ReLU → Linear to the bit, forward and backward:
    /// dL/dh = (g·W2)⊙[h &gt; 0]; dL/dx = dL/dh·W1, dL/dW1 = (dL/dh)ᵀ·x, dL/db1 = Σ_rows dL/dh; dL/dW2 = gᵀ·h, dL/db2 = Σ_rows g.
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
            // Under create_graph the gradients must be a graph: the unfused ops, h recomputed as one.
            var h = Autograd.IsGradEnabled ? ReLU(Linear(input, w1, b1)) : hidden;
            Tensor? dLdh = input.RequiresGrad || w1.RequiresGrad || b1.RequiresGrad ? HiddenGrad(g, w2, h) : null;
            return [
                input.RequiresGrad ? MatMul(dLdh!, w1) : null,                       // dL/dx = dL/dh·W1 (dL/dh: g·W2 where h > 0, else 0)
                w1.RequiresGrad ? MatMul(Transpose(dLdh!, 0, 1), input) : null,      // dL/dW1 = (dL/dh)ᵀ·x
                b1.RequiresGrad ? Sum(dLdh!, 0) : null,                              // dL/db1 = Σ_rows dL/dh
                w2.RequiresGrad ? MatMul(Transpose(g, 0, 1), h) : null,              // dL/dW2 = gᵀ·h
                b2.RequiresGrad ? Sum(g, 0) : null,                                  // dL/db2 = Σ_rows g
            ];
        }, input, w1, w2, hidden);
    }

    // dL/dh = (g·W2)⊙[h > 0]: the gate on each tile of the GEMM's output, or, building a graph, ReLU's recorded backward.
    static Tensor HiddenGrad(Tensor g, Tensor w2, Tensor h)
    {
        if (Autograd.IsGradEnabled) return ReluGate(MatMul(g, w2), h);
        var dLdh = Tensor.Empty(h.shape, h.DType);
        if (dLdh.Numel == 0) return dLdh;
        var (gm, transG, ldg) = AsMatrix(g);
        var (wm, transW, ldw) = AsMatrix(w2);
        DTypeDispatch.Run(g.DType, new GemmCall(transG, transW, h.shape[0], h.shape[1], g.shape[1], gm, gm.offset, ldg, wm, wm.offset, ldw,
            dLdh, 0, Accumulate: false, Epilogue: GemmEpilogue.ReluGate, Gate: h));
        return dLdh;
    }
}
