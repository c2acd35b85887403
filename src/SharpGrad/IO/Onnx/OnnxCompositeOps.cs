using DataType = SharpGrad.IO.Onnx.Proto.TensorProto.Types.DataType;

namespace SharpGrad.IO.Onnx;

internal static partial class OnnxOperators
{
    /// <summary>Operators that compose SharpGrad ops: Pow, Slice, Tile, the normalisations, depth/space rearrangements, Trilu, Range, Celu (F.Celu).</summary>
    static void RegisterComposite()
    {
        Add("Pow", n => x =>
        {
            var (a, b) = (Req(x, 0, n), Req(x, 1, n));
            if (a.IsFloat)
            {
                // The result has the base's type; an integer exponent is converted to it.
                var exponent = b.Float ?? Tensor.FromArray(b.AsDoubles(), b.Shape, a.Float!.DType);
                return One(F.Pow(a.Float!, exponent.DType == a.Float!.DType ? exponent : F.ToDType(exponent, a.Float!.DType)));
            }
            return [BroadcastInts(a, b, n, a.ElemType, (p, q) => (long)Math.Pow(p, q))];
        });
        Add("Slice", n =>
        {
            // Opset 1–9: starts, ends, axes as attributes; opset 10 on: inputs, with steps.
            long[]? startsAttr = n.Opset < 10 ? n.Ints("starts") ?? throw n.Invalid("starts is required") : null;
            long[]? endsAttr = n.Opset < 10 ? n.Ints("ends") ?? throw n.Invalid("ends is required") : null;
            long[]? axesAttr = n.Opset < 10 ? n.Ints("axes") : null;
            return x =>
            {
                var v = Req(x, 0, n);
                // Integer data (a shape being cut) is sliced as float64, exact below 2⁵³, and converted back.
                var t = v.Float ?? Tensor.FromArray(v.AsDoubles(), v.Shape, DType.Float64);
                var starts = startsAttr ?? Req(x, 1, n).Longs(n.Where);
                var ends = endsAttr ?? Req(x, 2, n).Longs(n.Where);
                var axesIn = n.Opset < 10 ? axesAttr : Opt(x, 3)?.Longs(n.Where);
                var steps = n.Opset < 10 ? null : Opt(x, 4)?.Longs(n.Where);
                var axes = axesIn is null ? Enumerable.Range(0, starts.Length).ToArray() : Axes(axesIn, t.Rank, n);
                if (ends.Length != starts.Length || axes.Length != starts.Length || (steps is not null && steps.Length != starts.Length))
                    throw new OnnxRuntimeException($"{n.Where}: starts, ends, axes and steps differ in length");
                for (int i = 0; i < axes.Length; i++)
                {
                    int size = t.Shape[axes[i]];
                    long step = steps?[i] ?? 1;
                    if (step == 0) throw new OnnxRuntimeException($"{n.Where}: step 0");
                    // ONNX's clamping: negative positions count from the end; a negative step runs from start down past end.
                    long start = starts[i] < 0 ? starts[i] + size : starts[i], end = ends[i] < 0 ? ends[i] + size : ends[i];
                    if (step > 0)
                    {
                        start = Math.Clamp(start, 0, size);
                        end = Math.Clamp(end, 0, size);
                        t = F.Slice(t, axes[i], (int)start, (int)Math.Max(start, end), (int)Math.Min(step, int.MaxValue));
                    }
                    else
                    {
                        start = Math.Clamp(start, 0, size - 1);
                        end = Math.Clamp(end, -1, size - 1);
                        var picks = new List<Tensor>();
                        for (long k = start; k > end; k += step) picks.Add(F.Slice(t, axes[i], (int)k, (int)k + 1));
                        t = picks.Count > 0 ? F.Cat(picks, axes[i]) : F.Slice(t, axes[i], 0, 0);
                    }
                }
                return v.IsFloat ? One(F.Contiguous(t)) : [OnnxValue.OfInts([.. t.ToArray().Select(d => (long)d)], [.. t.Shape], v.ElemType)];
            };
        });
        Add("Tile", n => x =>
        {
            var t = T(x, 0, n);
            var repeats = Req(x, 1, n).Longs(n.Where);
            if (repeats.Length != t.Rank || repeats.Any(r => r < 0 || r > 1 << 16)) throw new OnnxRuntimeException($"{n.Where}: repeats [{string.Join(", ", repeats)}] for rank {t.Rank}");
            return One(F.Contiguous(F.Repeat(t, [.. repeats.Select(r => (int)r)])));
        });
        Add("InstanceNormalization", n =>
        {
            double eps = n.Float("epsilon", 1e-5f);
            return x =>
            {
                var (input, scale, bias) = (T(x, 0, n), T(x, 1, n), T(x, 2, n));
                if (input.Rank < 3) throw new OnnxRuntimeException($"{n.Where}: input {Shapes.Format(input.shape)} needs spatial dims");
                return One(F.GroupNorm(input, input.Shape[1], scale, bias, eps));   // one group per channel: per sample and channel
            };
        });
        Add("MeanVarianceNormalization", n =>
        {
            long[] axesAttr = n.Ints("axes") ?? [0, 2, 3];
            return x =>
            {
                var t = T(x, 0, n);
                var dims = Axes(axesAttr, t.Rank, n);
                var centred = t - F.Mean(t, dims, keepDim: true);
                return One(centred / (F.Sqrt(F.Mean(centred * centred, dims, keepDim: true)) + 1e-9));   // (X − E[X]) / (√Var[X] + 1e-9)
            };
        });
        Add("DepthToSpace", n =>
        {
            long blockAttr = n.Int("blocksize", 0);
            if (blockAttr < 1 || blockAttr > 1 << 16) throw n.Invalid($"blocksize {blockAttr}");
            bool crd = n.Str("mode", "DCR") == "CRD";
            int b = (int)blockAttr;
            return x =>
            {
                var t = T(x, 0, n);
                if (t.Rank != 4 || t.Shape[1] % (b * b) != 0) throw new OnnxRuntimeException($"{n.Where}: input {Shapes.Format(t.shape)} is not [N, C·{b}², H, W]");
                int N = t.Shape[0], C = t.Shape[1] / (b * b), H = t.Shape[2], W = t.Shape[3];
                if (crd) return One(F.Contiguous(F.PixelShuffle(t, b)));   // CRD is PyTorch's pixel shuffle
                var y = F.Permute(F.Reshape(t, N, b, b, C, H, W), 0, 3, 4, 1, 5, 2);
                return One(F.Reshape(F.Contiguous(y), N, C, H * b, W * b));
            };
        });
        Add("SpaceToDepth", n =>
        {
            long blockAttr = n.Int("blocksize", 0);
            if (blockAttr < 1 || blockAttr > 1 << 16) throw n.Invalid($"blocksize {blockAttr}");
            int b = (int)blockAttr;
            return x =>
            {
                var t = T(x, 0, n);
                if (t.Rank != 4 || t.Shape[2] % b != 0 || t.Shape[3] % b != 0) throw new OnnxRuntimeException($"{n.Where}: input {Shapes.Format(t.shape)} is not divisible by {b}");
                int N = t.Shape[0], C = t.Shape[1], H = t.Shape[2] / b, W = t.Shape[3] / b;
                var y = F.Permute(F.Reshape(t, N, C, H, b, W, b), 0, 3, 5, 1, 2, 4);
                return One(F.Reshape(F.Contiguous(y), N, C * b * b, H, W));
            };
        });
        Add("Trilu", n =>
        {
            bool upper = n.Int("upper", 1) != 0;
            return x =>
            {
                var v = Req(x, 0, n);
                long k = Opt(x, 1) is { } kv ? kv.Longs(n.Where).Single() : 0;
                if (v.Rank < 2) throw new OnnxRuntimeException($"{n.Where}: input {Shapes.Format(v.Shape)} has rank below 2");
                int rows = v.Shape[^2], cols = v.Shape[^1];
                // Keep (i, j) with j − i ≥ k (upper) or j − i ≤ k (lower).
                var keep = new double[rows * cols];
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++) keep[i * cols + j] = (upper ? j - i >= k : j - i <= k) ? 1 : 0;
                if (v.Float is { } t) return One(t * Tensor.FromArray(keep, [rows, cols], t.DType));
                var data = v.Ints!;
                return [OnnxValue.OfInts([.. data.Select((e, i) => keep[i % (rows * cols)] != 0 ? e : 0)], v.Shape, v.ElemType)];
            };
        });
        Add("Range", n => x =>
        {
            var (start, limit, delta) = (Req(x, 0, n), Req(x, 1, n), Req(x, 2, n));
            double s = start.AsDoubles().Single(), l = limit.AsDoubles().Single(), d = delta.AsDoubles().Single();
            double count = Math.Max(Math.Ceiling((l - s) / d), 0);
            if (d == 0 || !(count <= 1 << 24)) throw new OnnxRuntimeException($"{n.Where}: range({s}, {l}, {d}) is not a bounded sequence");
            var values = Enumerable.Range(0, (int)count).Select(i => s + i * d).ToArray();
            return start.Float is { } f ? One(Tensor.FromArray(values, [values.Length], f.DType))
                : [OnnxValue.OfInts([.. values.Select(v => (long)v)], [values.Length], start.ElemType)];
        });
        Unary("Celu", n =>
        {
            double alpha = n.Float("alpha", 1f);
            return x => F.Celu(x, alpha);                                                  // max(0, x) + min(0, α(e^(x/α) − 1))
        });
    }
}
