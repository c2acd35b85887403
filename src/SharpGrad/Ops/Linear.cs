using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// y = x·Wᵀ + b, as <c>torch.nn.functional.linear</c>: <paramref name="input"/> [..., in], <paramref name="weight"/> [out, in],
    /// <paramref name="bias"/> [out] or null; y is [..., out]. One op, as PyTorch's addmm: every row of y starts as b and the GEMM
    /// adds x·Wᵀ to it, tile by tile, so the bias needs no pass of its own. dL/dx = g·W, dL/dW = gᵀ·x, dL/db = Σ_rows g.
    /// </summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        CheckLinear("Linear", input, weight, bias);
        if (bias is null) return MatMul(input, Transpose(weight, 0, 1));
        if (input.Rank != 2)
        {
            // [..., in] is one [rows, in] product, as MatMul folds it
            int[] lead = input.shape[..^1];
            var folded = Linear(Reshape(input, Shapes.Numel(lead), input.shape[^1]), weight, bias);
            return Reshape(folded, [.. lead, weight.shape[0]]);
        }
        var o = Affine(input, weight, bias, GemmEpilogue.None);
        return Autograd.Record("Linear", o, [input, weight, bias], g => [
            input.RequiresGrad ? MatMul(g, weight) : null,                          // dL/dx = g·W
            weight.RequiresGrad ? MatMul(Transpose(g, 0, 1), input) : null,         // dL/dW = gᵀ·x, row-major like W
            bias.RequiresGrad ? Sum(g, 0) : null,                                   // dL/db = Σ_rows g
        ], input, weight);
    }

    // input [..., in], weight [out, in], bias [out] or null, one dtype.
    static void CheckLinear(string op, Tensor input, Tensor weight, Tensor? bias)
    {
        CheckSameDType(op, input, weight);
        if (bias is not null) CheckSameDType(op, input, bias);
        if (weight.Rank != 2 || input.Rank == 0 || input.shape[^1] != weight.shape[1] || (bias is not null && (bias.Rank != 1 || bias.shape[0] != weight.shape[0])))
            throw new ArgumentException($"{op}: expected input [..., in], weight [out, in] and bias [out]; got input {Shapes.Format(input.shape)}, " +
                $"weight {Shapes.Format(weight.shape)}" + (bias is null ? "" : $", bias {Shapes.Format(bias.shape)}"));
    }

    // x·Wᵀ + b for a 2-D x (no graph): one GEMM that starts each row of y from b and runs the epilogue on each finished tile.
    static Tensor Affine(Tensor input, Tensor weight, Tensor bias, GemmEpilogue epilogue)
    {
        int rows = input.shape[0], outFeatures = weight.shape[0];
        var o = Tensor.Empty([rows, outFeatures], input.DType);
        if (o.Numel == 0) return o;
        var (x, transX, ldx) = AsMatrix(input);
        var (w, transW, ldw) = AsMatrix(new Tensor(weight.storage, [weight.shape[1], outFeatures], [weight.strides[1], weight.strides[0]], weight.offset));   // Wᵀ, no op
        var b = bias.strides[0] == 1 || outFeatures <= 1 ? bias : Contiguous(bias);
        DTypeDispatch.Run(input.DType, new GemmCall(transX, transW, rows, outFeatures, input.shape[1], x, x.offset, ldx, w, w.offset, ldw, o, 0, Accumulate: false, b, epilogue));
        return o;
    }
}
