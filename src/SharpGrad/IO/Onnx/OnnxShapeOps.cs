using DataType = SharpGrad.IO.Onnx.Proto.TensorProto.Types.DataType;

namespace SharpGrad.IO.Onnx;

internal static partial class OnnxOperators
{
    static void RegisterShape()
    {
        Add("Flatten", n =>
        {
            long axisAttr = n.Int("axis", 1);
            return x =>
            {
                var v = Req(x, 0, n);
                int axis = axisAttr == v.Rank ? v.Rank : Axis(axisAttr, v.Rank, n);
                int outer = Shapes.Numel(v.Shape.AsSpan(0, axis)), inner = Shapes.Numel(v.Shape.AsSpan(axis));
                return [ReshapeValue(v, [outer, inner], n)];
            };
        });
        Add("Reshape", n =>
        {
            // Opset 1–4 gives the shape as an attribute, opset 5 on as the second input.
            long[]? shapeAttr = n.Opset < 5 ? n.Ints("shape") ?? throw n.Invalid("shape is required") : null;
            bool allowZero = n.Int("allowzero", 0) != 0;
            return x =>
            {
                var v = Req(x, 0, n);
                var target = shapeAttr ?? Req(x, 1, n).Longs(n.Where);
                return [ReshapeValue(v, ReshapeTarget(v.Shape, target, allowZero, n), n)];
            };
        });
        Add("Transpose", n =>
        {
            long[]? perm = n.Ints("perm");
            return x =>
            {
                var v = Req(x, 0, n);
                var p = perm is null ? Enumerable.Range(0, v.Rank).Reverse().ToArray() : Axes(perm, v.Rank, n);
                if (p.Length != v.Rank) throw new OnnxRuntimeException($"{n.Where}: perm has {p.Length} entries for rank {v.Rank}");
                if (v.Float is { } t) return One(F.Contiguous(F.Permute(t, p)));
                var shape = p.Select(i => v.Shape[i]).ToArray();
                var idx = Tensor.FromArray(Enumerable.Range(0, v.Ints!.Length).Select(i => (double)i).ToArray(), v.Shape, DType.Float64);
                var order = F.Contiguous(F.Permute(idx, p)).ToArray();
                return [OnnxValue.OfInts(order.Select(i => v.Ints![(int)i]).ToArray(), shape, v.ElemType)];
            };
        });
        Add("Concat", n =>
        {
            long axisAttr = n.Int("axis", n.Opset < 4 ? 1 : long.MinValue);
            if (axisAttr == long.MinValue) throw n.Invalid("axis is required");
            return x =>
            {
                var values = x.Where(v => v is not null).Select(v => v!).ToList();
                if (values.Count == 0) throw new OnnxRuntimeException($"{n.Where}: needs at least one input");
                int axis = Axis(axisAttr, values[0].Rank, n);
                if (values.All(v => v.IsFloat)) return One(F.Cat(values.Select(v => v.Float!).ToList(), axis));
                var shape = values[0].Shape.ToArray();
                shape[axis] = values.Sum(v => v.Shape[axis]);
                int outer = Shapes.Numel(shape.AsSpan(0, axis));
                var result = new List<long>();
                for (int o = 0; o < outer; o++)
                    foreach (var v in values)
                    {
                        int block = Shapes.Numel(v.Shape.AsSpan(axis));
                        result.AddRange(v.Longs(n.Where).AsSpan(o * block, block).ToArray());
                    }
                return [OnnxValue.OfInts([.. result], shape, values[0].ElemType)];
            };
        });
        Add("Squeeze", n =>
        {
            long[]? axesAttr = n.Opset < 13 ? n.Ints("axes") : null;
            return x =>
            {
                var v = Req(x, 0, n);
                var axesIn = axesAttr ?? Opt(x, 1)?.Longs(n.Where);
                var axes = axesIn is null ? Enumerable.Range(0, v.Rank).Where(i => v.Shape[i] == 1).ToArray() : Axes(axesIn, v.Rank, n);
                foreach (var a in axes)
                    if (v.Shape[a] != 1) throw new OnnxRuntimeException($"{n.Where}: dim {a} of {Shapes.Format(v.Shape)} is not 1");
                return [ReshapeValue(v, v.Shape.Where((_, i) => !axes.Contains(i)).ToArray(), n)];
            };
        });
        Add("Unsqueeze", n =>
        {
            long[]? axesAttr = n.Opset < 13 ? n.Ints("axes") ?? throw n.Invalid("axes is required") : null;
            return x =>
            {
                var v = Req(x, 0, n);
                var axesIn = axesAttr ?? Req(x, 1, n).Longs(n.Where);
                int rank = v.Rank + axesIn.Length;
                var axes = Axes(axesIn, rank, n);
                var shape = new int[rank];
                int src = 0;
                for (int i = 0; i < rank; i++) shape[i] = axes.Contains(i) ? 1 : v.Shape[src++];
                return [ReshapeValue(v, shape, n)];
            };
        });
        Add("Shape", n =>
        {
            long startAttr = n.Int("start", 0), endAttr = n.Int("end", long.MaxValue);
            return x =>
            {
                var v = Req(x, 0, n);
                int Clampped(long a) => (int)Math.Clamp(a < 0 ? a + v.Rank : a, 0, v.Rank);
                int start = Clampped(startAttr), end = Clampped(endAttr);
                var dims = v.Shape.Skip(start).Take(Math.Max(0, end - start)).Select(d => (long)d).ToArray();
                return [OnnxValue.OfInts(dims, [dims.Length])];
            };
        });
        Add("Size", n => x => [OnnxValue.OfInts([Shapes.Numel(Req(x, 0, n).Shape)], [])]);
        Add("Constant", n =>
        {
            var where = n.Where;
            OnnxValue value = n.Tensor("value") is { } t ? OnnxTensors.Decode(t, where + " attribute value")
                : n.Has("value_float") ? OnnxValue.Of(Tensor.FromArray(new[] { n.Float("value_float", 0) }, []))
                : n.Floats("value_floats") is { } fs ? OnnxValue.Of(Tensor.FromArray(fs, [fs.Length]))
                : n.Has("value_int") ? OnnxValue.OfInts([n.Int("value_int", 0)], [])
                : n.Ints("value_ints") is { } ls ? OnnxValue.OfInts(ls, [ls.Length])
                : throw n.Unsupported("a Constant without a tensor, float or int value");
            return _ => [value];
        });
        Add("ConstantOfShape", n =>
        {
            var fill = n.Tensor("value") is { } t ? OnnxTensors.Decode(t, n.Where + " attribute value") : OnnxValue.Of(Tensor.Zeros([1]));
            if (Shapes.Numel(fill.Shape) != 1) throw n.Invalid("value must hold one element");
            return x =>
            {
                var dims = Req(x, 0, n).Longs(n.Where).Select(d => ToInt(d, n, "dim")).ToArray();
                if (dims.Any(d => d < 0)) throw new OnnxRuntimeException($"{n.Where}: negative dim in {Shapes.Format(dims)}");
                long count = dims.Aggregate(1L, (p, d) => checked(p * d));
                if (count > 1 << 28) throw new OnnxRuntimeException($"{n.Where}: {count} elements is more than SharpGrad allocates for a constant");
                return fill.Float is { } f ? One(Tensor.Full(dims, f.Item(), f.DType))
                    : [OnnxValue.OfInts(Enumerable.Repeat(fill.Ints![0], (int)count).ToArray(), dims, fill.ElemType)];
            };
        });
        Add("Expand", n => x =>
        {
            var t = T(x, 0, n);
            var shape = BroadcastShape([.. t.Shape], Req(x, 1, n).Longs(n.Where).Select(d => ToInt(d, n, "dim")).ToArray(), n);
            var lifted = F.Reshape(t, [.. Enumerable.Repeat(1, shape.Length - t.Rank), .. t.Shape]);
            return One(F.Contiguous(F.Expand(lifted, shape)));
        });
        Add("Split", n =>
        {
            long axisAttr = n.Int("axis", 0);
            long[]? splitAttr = n.Opset < 13 ? n.Ints("split") : null;
            return x =>
            {
                var t = T(x, 0, n);
                int axis = Axis(axisAttr, t.Rank, n), size = t.Shape[axis], parts = n.OutputCount;
                var split = splitAttr ?? Opt(x, 1)?.Longs(n.Where);
                if (split is null)
                {
                    if (parts == 0 || size % parts != 0) throw new OnnxRuntimeException($"{n.Where}: dim {size} does not split into {parts} equal parts");
                    split = Enumerable.Repeat((long)(size / parts), parts).ToArray();
                }
                if (split.Length != parts || split.Any(s => s < 0) || split.Sum() != size)
                    throw new OnnxRuntimeException($"{n.Where}: split [{string.Join(", ", split)}] does not cover dim {size} in {parts} outputs");
                return [.. F.Split(t, [.. split.Select(s => (int)s)], axis).Select(p => (OnnxValue?)OnnxValue.Of(F.Contiguous(p)))];
            };
        });
        Add("Pad", n =>
        {
            // Opset 1 names the pads 'paddings', opset 2–10 'pads' (attributes); opset 11 on takes them as inputs.
            long[]? padsAttr = n.Opset < 11 ? n.Ints(n.Opset < 2 ? "paddings" : "pads") ?? throw n.Invalid("pads is required") : null;
            double valueAttr = n.Opset < 11 ? n.Float("value", 0) : 0;
            string mode = n.Str("mode", "constant");
            if (mode is not ("constant" or "reflect" or "edge")) throw n.Invalid($"mode '{mode}'");
            return x =>
            {
                var v = Req(x, 0, n);
                var pads = padsAttr ?? Req(x, 1, n).Longs(n.Where);
                double value = padsAttr is null && Opt(x, 2) is { } c ? c.AsDoubles().Single() : valueAttr;
                if (pads.Length != 2 * v.Rank) throw new OnnxRuntimeException($"{n.Where}: {pads.Length} pads for rank {v.Rank}");
                return [PadValue(v, pads, mode, value, n)];
            };
        });
        Add("Gather", n =>
        {
            long axisAttr = n.Int("axis", 0);
            return x =>
            {
                var (v, indices) = (Req(x, 0, n), Req(x, 1, n));
                int axis = Axis(axisAttr, v.Rank, n), size = v.Shape[axis];
                var idx = indices.Longs(n.Where).Select(i => i < -size || i >= size
                    ? throw new OnnxRuntimeException($"{n.Where}: index {i} is out of range for dim {axis} of size {size}")
                    : (int)(i < 0 ? i + size : i)).ToArray();
                int[] shape = [.. v.Shape.Take(axis), .. indices.Shape, .. v.Shape.Skip(axis + 1)];
                if (v.Float is { } t)
                {
                    // Differentiable: the gradient of a repeated index adds up.
                    return One(F.Reshape(F.IndexSelect(t, axis, idx), shape));
                }
                int outer = Shapes.Numel(v.Shape.AsSpan(0, axis)), inner = Shapes.Numel(v.Shape.AsSpan(axis + 1));
                var data = v.Longs(n.Where);
                var result = new long[checked(outer * idx.Length * inner)];
                for (int o = 0, k = 0; o < outer; o++)
                    foreach (var i in idx)
                        for (int j = 0; j < inner; j++) result[k++] = data[(o * size + i) * inner + j];
                return [OnnxValue.OfInts(result, shape, v.ElemType)];
            };
        });
        Reduce("ReduceSum", (t, d, k) => F.Sum(t, d, k));
        Reduce("ReduceMean", (t, d, k) => F.Mean(t, d, k));
        Reduce("ReduceMax", (t, d, k) => F.Max(t, d, k));
        Reduce("ReduceMin", (t, d, k) => F.Min(t, d, k));
        Reduce("ReduceSumSquare", (t, d, k) => F.Sum(t * t, d, k));
        Reduce("ReduceL1", (t, d, k) => F.Sum(F.Abs(t), d, k));
        Reduce("ReduceL2", (t, d, k) => F.Sqrt(F.Sum(t * t, d, k)));
        Reduce("ReduceLogSum", (t, d, k) => F.Log(F.Sum(t, d, k)));
        Reduce("ReduceLogSumExp", (t, d, k) =>
        {
            var m = F.Max(t, d, keepDim: true).Detach();                                    // log Σ eˣ = m + log Σ eˣ⁻ᵐ, finite for large x
            var r = F.Log(F.Sum(F.Exp(t - m), d, keepDim: true)) + m;
            return k ? r : F.Reshape(r, [.. t.Shape.Where((_, i) => !d.Contains(i))]);
        });
    }

    /// <summary>A reduction over axes (an attribute, or from ReduceSum-13 on an input; none means all, unless noop_with_empty_axes).</summary>
    static void Reduce(string op, Func<Tensor, int[], bool, Tensor> f) => Add(op, n =>
    {
        bool axesAsInput = op == "ReduceSum" && n.Opset >= 13;
        long[]? axesAttr = axesAsInput ? null : n.Ints("axes");
        bool keep = n.Int("keepdims", 1) != 0, noop = n.Int("noop_with_empty_axes", 0) != 0;
        return x =>
        {
            var v = Req(x, 0, n);
            var t = v.IsFloat ? v.Float! : Tensor.FromArray(v.AsDoubles(), v.Shape, DType.Float64);
            var axesIn = axesAsInput ? Opt(x, 1)?.Longs(n.Where) : axesAttr;
            if ((axesIn is null || axesIn.Length == 0) && noop) return [v];
            var dims = axesIn is null || axesIn.Length == 0 ? Enumerable.Range(0, t.Rank).ToArray() : Axes(axesIn, t.Rank, n);
            var r = f(t, dims, keep);
            return v.IsFloat ? One(r) : [OnnxValue.OfInts(r.ToArray().Select(d => (long)d).ToArray(), [.. r.Shape], v.ElemType)];
        };
    });

    /// <summary>
    /// Pads (or, with negative pads, crops) every dim: constant, reflect (mirror without the edge) or edge (repeat
    /// it). Float tensors stay differentiable: the result is built from slices and concatenations.
    /// </summary>
    static OnnxValue PadValue(OnnxValue v, long[] pads, string mode, double value, OnnxNode n)
    {
        int rank = v.Rank;
        var begin = new int[rank];
        var end = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            (begin[d], end[d]) = (ToInt(pads[d], n, "pad"), ToInt(pads[d + rank], n, "pad"));
            long size = (long)v.Shape[d] + begin[d] + end[d];
            if (size < 0 || size > int.MaxValue) throw new OnnxRuntimeException($"{n.Where}: dim {d} of {Shapes.Format(v.Shape)} padded by [{begin[d]}, {end[d]}] has size {size}");
            int inner = v.Shape[d] + Math.Min(0, begin[d]) + Math.Min(0, end[d]);
            if (mode != "constant" && (begin[d] > 0 || end[d] > 0) && (inner < 1 || (mode == "reflect" && Math.Max(begin[d], end[d]) >= inner)))
                throw new OnnxRuntimeException($"{n.Where}: {mode} padding [{begin[d]}, {end[d]}] needs a larger dim {d} than {inner}");
        }
        var outShape = v.Shape.Select((s, d) => s + begin[d] + end[d]).ToArray();
        if (Shapes.Numel(outShape) > 1 << 28) throw new OnnxRuntimeException($"{n.Where}: the padded shape {Shapes.Format(outShape)} is too large");
        // Source index along dim d for output position i, or −1 for the constant.
        int Source(int d, int i)
        {
            int size = v.Shape[d], j = i - begin[d];
            if (j >= 0 && j < size) return j;
            if (mode == "constant") return -1;
            if (mode == "edge") return j < 0 ? 0 : size - 1;
            return j < 0 ? -j : 2 * (size - 1) - j;   // reflect
        }
        if (v.Float is { } t)
        {
            // F.Pad takes PyTorch's order: (begin, end) of the last dim first.
            var torchPads = Enumerable.Range(0, rank).Reverse().SelectMany(d => new[] { begin[d], end[d] }).ToArray();
            var padMode = mode switch { "reflect" => PadMode.Reflect, "edge" => PadMode.Replicate, _ => PadMode.Constant };
            return OnnxValue.Of(F.Contiguous(F.Pad(t, torchPads, padMode, padMode == PadMode.Constant ? value : 0)));
        }
        var data = v.Longs(n.Where);
        var strides = Shapes.ContiguousStrides(v.Shape);
        var result = new long[Shapes.Numel(outShape)];
        var idx = new int[rank];
        for (int o = 0; o < result.Length; o++)
        {
            int src = 0;
            for (int d = 0; d < rank && src >= 0; d++)
            {
                int s = Source(d, idx[d]);
                src = s < 0 ? -1 : src + s * strides[d];
            }
            result[o] = src < 0 ? (long)value : data[src];
            for (int d = rank - 1; d >= 0 && ++idx[d] == outShape[d]; d--) idx[d] = 0;
        }
        return OnnxValue.OfInts(result, outShape, v.ElemType);
    }

    /// <summary>ONNX Reshape's target: 0 copies the input dim (unless allowzero), −1 is inferred.</summary>
    static int[] ReshapeTarget(int[] input, long[] target, bool allowZero, OnnxNode n)
    {
        var shape = new int[target.Length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            long d = target[i];
            if (d == -1)
            {
                if (infer >= 0) throw new OnnxRuntimeException($"{n.Where}: more than one −1 in [{string.Join(", ", target)}]");
                infer = i;
                continue;
            }
            if (d == 0 && !allowZero)
            {
                if (i >= input.Length) throw new OnnxRuntimeException($"{n.Where}: 0 at dim {i} copies a dim the input {Shapes.Format(input)} lacks");
                d = input[i];
            }
            if (d < 0 || d > int.MaxValue) throw new OnnxRuntimeException($"{n.Where}: dim {d} in [{string.Join(", ", target)}]");
            shape[i] = (int)d;
            known = checked(known * d);
        }
        long total = Shapes.Numel(input);
        if (infer >= 0)
        {
            if (known == 0 || total % known != 0) throw new OnnxRuntimeException($"{n.Where}: cannot infer −1 reshaping {Shapes.Format(input)} to [{string.Join(", ", target)}]");
            shape[infer] = (int)(total / known);
        }
        else if (known != total) throw new OnnxRuntimeException($"{n.Where}: cannot reshape {Shapes.Format(input)} to {Shapes.Format(shape)}");
        return shape;
    }
}
