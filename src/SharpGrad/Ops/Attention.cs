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
        int n = query.shape[0], h = query.shape[1], l = query.shape[2], d = query.shape[3], s = key.shape[2];
        double scale = 1 / Math.Sqrt(d);
        if (query.Numel == 0 || key.Numel == 0 || value.Numel == 0) return AttentionComposite(query, key, value, attnMask, scale).Output;

        Tensor q, k, v, mask;
        using (Autograd.NoGrad())
        {
            (q, k, v) = (HeadRows(query), HeadRows(key), HeadRows(value));
            mask = attnMask is null ? Tensor.Empty([0], query.DType) : Expand(attnMask, [n, h, l, s]);
        }
        var p = Tensor.Empty([n * h, l, s], query.DType);
        var o = HeadMajorEmpty(n, h, l, d, query.DType);
        DTypeDispatch.Run(query.DType, new AttentionForward(n, h, l, s, d, scale, q, k, v, attnMask is null ? null : mask, p, o));
        return Autograd.Record("ScaledDotProductAttention", o, [query, key, value], g =>
        {
            if (Autograd.IsGradEnabled)
            {
                // The same formulas in differentiable ops, for a gradient of this gradient:
                // dL/dQ = dS·K/√d with dS = P ⊙ (g·Vᵀ − rowsum(g·Vᵀ ⊙ P)); dL/dK = dSᵀ·Q/√d; dL/dV = Pᵀ·g
                var (_, pd) = AttentionComposite(query, key, value, attnMask, scale);
                var dP = MatMul(g, Transpose(value, -1, -2));
                var dS = pd * (dP - Sum(dP * pd, -1, keepDim: true)) * scale;
                return [
                    query.RequiresGrad ? MatMul(dS, key) : null,
                    key.RequiresGrad ? MatMul(Transpose(dS, -1, -2), query) : null,
                    value.RequiresGrad ? MatMul(Transpose(pd, -1, -2), g) : null,
                ];
            }
            var dO = HeadRows(g);
            var dQ = query.RequiresGrad ? HeadMajorEmpty(n, h, l, d, query.DType) : null;
            var dK = key.RequiresGrad ? HeadMajorEmpty(n, h, s, d, query.DType) : null;
            var dV = value.RequiresGrad ? HeadMajorEmpty(n, h, s, d, query.DType) : null;
            DTypeDispatch.Run(query.DType, new AttentionBackward(n, h, l, s, d, scale, q, k, v, p, dO, dQ, dK, dV));
            return [dQ, dK, dV];
        }, q, k, v, p);
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
