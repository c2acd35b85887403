using SharpGrad.Nn;

namespace SharpGrad.IO.Onnx;

/// <summary>
/// MultiheadAttention and TransformerEncoderLayer, which no ONNX operator up to opset 17 computes, written as their
/// decomposition into MatMul, Add, Reshape, Transpose, Split, Squeeze, Softmax, Mul, LayerNormalization, Relu or the
/// Erf form of GELU. A module's single-input Forward is self-attention without masks, and that is what is exported.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// Self-attention of x ([L, N, E], or [N, L, E] when batch-first): the packed projection x·W_inᵀ + b_in, split into
    /// Q, K, V of H heads [N, H, L, d], softmax(Q·Kᵀ/√d)·V, the heads joined back to [N, L, E], then out_proj.
    /// 0 in a Reshape's shape copies the (dynamic) batch and sequence dims.
    /// </summary>
    string EmitSelfAttention(MultiheadAttention a, string path, string x)
    {
        int e = a.EmbedDim, h = a.NumHeads, d = e / h;
        if (!a.BatchFirst) x = Node1("Transpose", path, [x], AttrList("perm", 1L, 0L, 2L));                        // [N, L, E]
        string qkv = EmitLinear(path, x, 3, a.InProjWeight, a.InProjBias, "in_proj_weight", "in_proj_bias");                    // [N, L, 3E]
        string heads = Node1("Transpose", path, [Node1("Reshape", path, [qkv, Ints(Join(path, "shape"), 0, 0, 3, h, d)])],
            AttrList("perm", 2L, 0L, 3L, 1L, 4L));                                                                  // [3, N, H, L, d]
        var parts = Node("Split", path, [heads], 3, Attr("axis", 0L));
        string axis0 = Ints(Join(path, "axes"), 0);
        var (q, k, v) = (Node1("Squeeze", path, [parts[0], axis0]), Node1("Squeeze", path, [parts[1], axis0]), Node1("Squeeze", path, [parts[2], axis0]));
        string scores = Node1("Mul", path, [Node1("MatMul", path, [q, Node1("Transpose", path, [k], AttrList("perm", 0L, 1L, 3L, 2L))]),
            Constant(Join(path, "scale"), Tensor.Full([], 1 / Math.Sqrt(d), a.InProjWeight.DType))]);
        string o = Node1("MatMul", path, [Node1("Softmax", path, [scores], Attr("axis", -1L)), v]);                  // [N, H, L, d]
        string joined = Node1("Reshape", path, [Node1("Transpose", path, [o], AttrList("perm", 0L, 2L, 1L, 3L)), Ints(Join(path, "shape"), 0, 0, e)]);
        string y = EmitLinear(Join(path, "out_proj"), joined, 3, a.OutProj.Weight, a.OutProj.Bias);
        return a.BatchFirst ? y : Node1("Transpose", path, [y], AttrList("perm", 1L, 0L, 2L));
    }

    /// <summary>
    /// The encoder block in evaluation form (dropout is the identity): post-norm x₁ = norm1(x + attn(x)), norm2(x₁ + ff(x₁)),
    /// or pre-norm x₁ = x + attn(norm1(x)), x₁ + ff(norm2(x₁)), with ff = linear2(activation(linear1(·))). Each sub-module is
    /// emitted under its state-dict path, traced on the values the block computes.
    /// </summary>
    string EmitEncoderLayer(TransformerEncoderLayer t, string path, string x, Tensor value)
    {
        (string, Tensor) Sub(Module m, string name, (string n, Tensor v) input) => Emit(m, Join(path, name), input.n, input.v);
        (string, Tensor) Add((string n, Tensor v) a, (string n, Tensor v) b) => (Node1("Add", path, [a.n, b.n]), a.v + b.v);
        (string, Tensor) FeedForward((string n, Tensor v) input)
        {
            var (hidden, hv) = Sub(t.Linear1, "linear1", input);
            string act = t.Activation == TransformerActivation.ReLU ? Node1("Relu", Join(path, "activation"), [hidden]) : EmitGelu(GeluApproximate.None, Join(path, "activation"), hidden, hv);
            var av = t.Activation == TransformerActivation.ReLU ? F.ReLU(hv) : F.Gelu(hv);
            return Sub(t.Linear2, "linear2", (act, av));
        }
        (string n, Tensor v) src = (x, value);
        if (t.NormFirst)
        {
            var x1 = Add(src, Sub(t.SelfAttn, "self_attn", Sub(t.Norm1, "norm1", src)));
            return Add(x1, FeedForward(Sub(t.Norm2, "norm2", x1))).Item1;
        }
        var h1 = Sub(t.Norm1, "norm1", Add(src, Sub(t.SelfAttn, "self_attn", src)));
        return Sub(t.Norm2, "norm2", Add(h1, FeedForward(h1))).Item1;
    }
}
