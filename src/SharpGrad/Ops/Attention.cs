using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// softmax(Q·Kᵀ/√d + mask)·V per (sample, head), as <c>torch.nn.functional.scaled_dot_product_attention</c> without
    /// dropout: query [N, H, L, d] (or [B, L, d]), key and value [N, H, S, d], <paramref name="attnMask"/> additive (−∞ masks
    /// a key out), broadcastable to [N, H, L, S]. One fused op; the mask is a constant (no gradient flows to it).
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null)
    {
        if (query.Rank == 3 && key.Rank == 3 && value.Rank == 3)
        {
            var mask4 = attnMask is null || attnMask.Rank < 3 ? attnMask : Unsqueeze(attnMask, 1);
            return Squeeze(ScaledDotProductAttention(Unsqueeze(query, 1), Unsqueeze(key, 1), Unsqueeze(value, 1), mask4), 1);
        }
        CheckAttention(query, key, value, attnMask);
        if (query.Numel == 0 || key.Numel == 0 || value.Numel == 0) return AttentionComposite(query, key, value, attnMask, Scale(query)).Output;
        var pass = FusedAttention.Forward(query, key, value, attnMask);
        // dL/dQ = dS·K/√d with dS = P ⊙ (g·Vᵀ − rowsum(g·Vᵀ ⊙ P)); dL/dK = dSᵀ·Q/√d; dL/dV = Pᵀ·g
        return Autograd.Record("ScaledDotProductAttention", pass.O, [query, key, value], g =>
        {
            if (Autograd.IsGradEnabled) return AttentionGradients(query, key, value, attnMask, g);   // for a gradient of this gradient
            var dQ = query.RequiresGrad ? HeadMajorEmpty(pass.N, pass.H, pass.L, pass.D, query.DType) : null;
            var dK = key.RequiresGrad ? HeadMajorEmpty(pass.N, pass.H, pass.S, pass.D, query.DType) : null;
            var dV = value.RequiresGrad ? HeadMajorEmpty(pass.N, pass.H, pass.S, pass.D, query.DType) : null;
            pass.Backward(g, dQ, dK, dV);
            return [dQ, dK, dV];
        }, pass.Saved);
    }

    /// <summary>
    /// Self-attention on a packed projection: <paramref name="qkv"/> [N, L, 3E] ([L, N, 3E] unless <paramref name="batchFirst"/>)
    /// holds Q, K and V side by side, each <paramref name="heads"/> heads of E/H. The same op as
    /// <see cref="ScaledDotProductAttention"/> on its head views, with one input: the backward writes dQ, dK and dV into one
    /// gradient of qkv's shape, where three views would each scatter into a zero-filled copy that the engine then adds up.
    /// Returns [N, H, L, E/H].
    /// </summary>
    internal static Tensor PackedSelfAttention(Tensor qkv, int heads, bool batchFirst, Tensor? attnMask)
    {
        Tensor query, key, value;
        using (Autograd.NoGrad()) (query, key, value) = PackedHeads(qkv, heads, batchFirst);
        CheckAttention(query, key, value, attnMask);
        if (query.Numel == 0)
        {
            var (q, k, v) = PackedHeads(qkv, heads, batchFirst);
            return AttentionComposite(q, k, v, attnMask, Scale(q)).Output;
        }
        var pass = FusedAttention.Forward(query, key, value, attnMask);
        // dL/dqkv = [dQ | dK | dV], the attention gradients of its Q, K and V head views, written in place
        return Autograd.Record("ScaledDotProductAttention", pass.O, [qkv], g =>
        {
            if (Autograd.IsGradEnabled)
            {
                // dL/dqkv: the three gradients, each back in the [N, L, H, d] (or [L, N, H, d]) order, stacked into qkv's layout
                var (q, k, v) = PackedHeads(qkv, heads, batchFirst);
                int[] fromHeads = batchFirst ? [0, 2, 1, 3] : [2, 0, 1, 3];
                var grads = AttentionGradients(q, k, v, attnMask, g);
                return [Reshape(Stack([.. grads.Select(x => Permute(x!, fromHeads))], 2), qkv.shape)];
            }
            var dQKV = Tensor.Empty(qkv.shape, qkv.DType);
            var (dQ, dK, dV) = PackedHeads(dQKV, heads, batchFirst);
            pass.Backward(g, dQ, dK, dV);
            return [dQKV];
        }, pass.Saved);
    }

    /// <summary>[N, H, rows, d] views of Q, K and V in a packed [N, rows, 3E] (or [rows, N, 3E]) projection.</summary>
    internal static (Tensor Q, Tensor K, Tensor V) PackedHeads(Tensor qkv, int heads, bool batchFirst)
    {
        int d = qkv.shape[2] / 3 / heads;
        var split = Reshape(qkv, [qkv.shape[0], qkv.shape[1], 3, heads, d]);
        int[] toHeads = batchFirst ? [0, 2, 1, 3] : [1, 2, 0, 3];
        return (Permute(Select(split, 2, 0), toHeads), Permute(Select(split, 2, 1), toHeads), Permute(Select(split, 2, 2), toHeads));
    }

    static double Scale(Tensor query) => 1 / Math.Sqrt(query.shape[3]);

    /// <summary>The attention's gradients for Q, K, V (null where not required) in differentiable ops, for a gradient of the gradient.</summary>
    static Tensor?[] AttentionGradients(Tensor query, Tensor key, Tensor value, Tensor? attnMask, Tensor g)
    {
        double scale = Scale(query);
        var (_, pd) = AttentionComposite(query, key, value, attnMask, scale);
        var dP = MatMul(g, Transpose(value, -1, -2));
        var dS = pd * (dP - Sum(dP * pd, -1, keepDim: true)) * scale;
        return [
            query.RequiresGrad ? MatMul(dS, key) : null,
            key.RequiresGrad ? MatMul(Transpose(dS, -1, -2), query) : null,
            value.RequiresGrad ? MatMul(Transpose(pd, -1, -2), g) : null,
        ];
    }

    /// <summary>
    /// One forward of the fused kernel and what its backward needs: the operands as the kernel read them, P, and O.
    /// </summary>
    sealed class FusedAttention
    {
        public int N, H, L, S, D;
        double scale;
        Tensor q = null!, k = null!, v = null!, p = null!;
        public Tensor O = null!;

        /// <summary>What the autograd node keeps alive: the operands the kernel read, and P.</summary>
        public Tensor[] Saved => [q, k, v, p];

        public static FusedAttention Forward(Tensor query, Tensor key, Tensor value, Tensor? attnMask)
        {
            var pass = new FusedAttention
            {
                N = query.shape[0], H = query.shape[1], L = query.shape[2], D = query.shape[3], S = key.shape[2], scale = Scale(query),
            };
            Tensor mask;
            using (Autograd.NoGrad())
            {
                (pass.q, pass.k, pass.v) = (HeadRows(query), HeadRows(key), HeadRows(value));
                mask = attnMask is null ? Tensor.Empty([0], query.DType) : Expand(attnMask, [pass.N, pass.H, pass.L, pass.S]);
            }
            pass.p = Tensor.Empty([pass.N * pass.H, pass.L, pass.S], query.DType);
            pass.O = HeadMajorEmpty(pass.N, pass.H, pass.L, pass.D, query.DType);
            DTypeDispatch.Run(query.DType, new AttentionForward(pass.N, pass.H, pass.L, pass.S, pass.D, pass.scale, pass.q, pass.k, pass.v,
                attnMask is null ? null : mask, pass.p, pass.O));
            return pass;
        }

        /// <summary>Writes dQ, dK, dV (each skipped when null, else an [N, H, rows, d] view the kernel can write in place) from dO.</summary>
        public void Backward(Tensor dO, Tensor? dQ, Tensor? dK, Tensor? dV) =>
            DTypeDispatch.Run(q.DType, new AttentionBackward(N, H, L, S, D, scale, q, k, v, p, HeadRows(dO), dQ, dK, dV));
    }

    /// <summary>
    /// (softmax(Q·Kᵀ·scale + mask)·V, the weights) in differentiable ops: the path for attention weights, dropout and empty inputs.
    /// The weights returned are those V was multiplied by (after dropout), as PyTorch returns them.
    /// </summary>
    internal static (Tensor Output, Tensor Weights) AttentionComposite(Tensor query, Tensor key, Tensor value, Tensor? attnMask, double scale,
        Func<Tensor, Tensor>? dropout = null)
    {
        var scores = MatMul(query, Transpose(key, -1, -2)) * scale;
        if (attnMask is not null) scores = scores + attnMask;
        var weights = Softmax(scores, -1);
        var dropped = dropout is null ? weights : dropout(weights);
        return (MatMul(dropped, value), dropped);
    }

    static void CheckAttention(Tensor query, Tensor key, Tensor value, Tensor? attnMask)
    {
        string shapes = $"query {Shapes.Format(query.shape)}, key {Shapes.Format(key.shape)}, value {Shapes.Format(value.shape)}";
        if (query.Rank != 4 || key.Rank != 4 || value.Rank != 4)
            throw new ArgumentException($"ScaledDotProductAttention: expected [N, H, L, d] (or [B, L, d]) operands, got {shapes}");
        if (key.shape[0] != query.shape[0] || key.shape[1] != query.shape[1] || key.shape[3] != query.shape[3] || !Shapes.Equal(key.shape, value.shape))
            throw new ArgumentException($"ScaledDotProductAttention: key must be [N, H, S, d] like query [N, H, L, d], value like key; got {shapes}");
        CheckSameDType("ScaledDotProductAttention", query, key);
        CheckSameDType("ScaledDotProductAttention", query, value);
        if (attnMask is null) return;
        CheckSameDType("ScaledDotProductAttention", query, attnMask);
        int[] target = [query.shape[0], query.shape[1], query.shape[2], key.shape[2]];
        bool broadcasts = attnMask.Rank <= 4;
        for (int i = 1; broadcasts && i <= attnMask.Rank; i++) broadcasts = attnMask.shape[^i] == 1 || attnMask.shape[^i] == target[^i];
        if (!broadcasts)
            throw new ArgumentException($"ScaledDotProductAttention: attn_mask {Shapes.Format(attnMask.shape)} does not broadcast to [N, H, L, S] = {Shapes.Format(target)}");
        if (attnMask.RequiresGrad && Autograd.IsGradEnabled)
            throw new ArgumentException("ScaledDotProductAttention: attn_mask requires grad, but the mask is a constant here (detach it)");
    }

    // [N, H, rows, d] whose rows the kernel can read in place: unit stride along d, rows at least d apart; else a copy.
    static Tensor HeadRows(Tensor t)
    {
        int d = t.shape[3];
        bool ok = (d <= 1 || t.strides[3] == 1) && (t.shape[2] <= 1 || t.strides[2] >= d);
        return ok ? t : Contiguous(t);
    }

    static HeadLayout LayoutOf(Tensor t) =>
        new(t.offset, t.strides[0], t.strides[1], t.shape[2] <= 1 ? Math.Max(t.shape[3], 1) : t.strides[2]);

    // An [N, H, rows, d] tensor stored as [N, rows, H, d]: heads side by side in each row, as the output projection reads them.
    static Tensor HeadMajorEmpty(int n, int h, int rows, int d, DType dtype)
    {
        var storage = Tensor.Empty([n, rows, h, d], dtype).storage;
        return new Tensor(storage, [n, h, rows, d], [rows * h * d, d, h * d, 1], 0);
    }

    readonly record struct AttentionForward(int N, int H, int L, int S, int D, double Scale, Tensor Q, Tensor K, Tensor V, Tensor? Mask,
        Tensor P, Tensor O) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var maskAt = Mask is null ? default : new MaskLayout(Mask.offset, Mask.strides[0], Mask.strides[1], Mask.strides[2], Mask.strides[3]);
            AttentionKernel.Forward(N, H, L, S, D, Scale, Q.Data<T>(), LayoutOf(Q), K.Data<T>(), LayoutOf(K), V.Data<T>(), LayoutOf(V),
                Mask?.Data<T>(), maskAt, P.Data<T>(), O.Data<T>(), LayoutOf(O));
        }
    }

    readonly record struct AttentionBackward(int N, int H, int L, int S, int D, double Scale, Tensor Q, Tensor K, Tensor V, Tensor P, Tensor DO,
        Tensor? DQ, Tensor? DK, Tensor? DV) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            AttentionKernel.Backward(N, H, L, S, D, Scale, Q.Data<T>(), LayoutOf(Q), K.Data<T>(), LayoutOf(K), V.Data<T>(), LayoutOf(V),
                P.Data<T>(), DO.Data<T>(), LayoutOf(DO),
                DQ?.Data<T>(), DQ is null ? default : LayoutOf(DQ), DK?.Data<T>(), DK is null ? default : LayoutOf(DK), DV?.Data<T>(), DV is null ? default : LayoutOf(DV));
    }
}
