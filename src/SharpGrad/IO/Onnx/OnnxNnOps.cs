using DataType = SharpGrad.IO.Onnx.Proto.TensorProto.Types.DataType;

namespace SharpGrad.IO.Onnx;

internal static partial class OnnxOperators
{
    /// <summary>Window geometry of Conv and the pools along one spatial dim: kernel, stride, dilation and the two paddings.</summary>
    readonly record struct Window(int Kernel, int Stride, int Dilation, int PadBegin, int PadEnd);

    /// <summary>The attributes that Conv, MaxPool and AveragePool share, read and checked at load time.</summary>
    sealed class WindowAttributes
    {
        public required string AutoPad { get; init; }
        public long[]? Kernel { get; init; }
        public long[]? Strides { get; init; }
        public long[]? Pads { get; init; }
        public long[]? Dilations { get; init; }

        public static WindowAttributes Read(OnnxNode n, bool kernelRequired, int maxSpatial)
        {
            var a = new WindowAttributes
            {
                AutoPad = n.Str("auto_pad", "NOTSET"),
                Kernel = n.Ints("kernel_shape"),
                Strides = n.Ints("strides"),
                Pads = n.Ints("pads"),
                Dilations = n.Ints("dilations"),
            };
            if (a.AutoPad is not ("NOTSET" or "SAME_UPPER" or "SAME_LOWER" or "VALID")) throw n.Invalid($"auto_pad '{a.AutoPad}'");
            if (kernelRequired && a.Kernel is null) throw n.Invalid("kernel_shape is required");
            if (a.Kernel is { } k && (k.Length < 1 || k.Length > maxSpatial)) throw n.Unsupported($"a {k.Length}-D window");
            if (a.Kernel?.Any(v => v < 1 || v > int.MaxValue) == true) throw n.Invalid($"kernel_shape [{string.Join(", ", a.Kernel)}]");
            if (a.Strides?.Any(v => v < 1 || v > int.MaxValue) == true) throw n.Invalid($"strides [{string.Join(", ", a.Strides)}]");
            if (a.Dilations?.Any(v => v < 1 || v > int.MaxValue) == true) throw n.Invalid($"dilations [{string.Join(", ", a.Dilations)}]");
            if (a.Pads?.Any(v => v < 0 || v > int.MaxValue) == true) throw n.Invalid($"pads [{string.Join(", ", a.Pads)}]");
            return a;
        }

        /// <summary>The geometry of each spatial dim for an input of the given spatial sizes (ONNX's auto_pad rules).</summary>
        public Window[] Resolve(int[] spatial, int[] kernel, bool ceilMode, OnnxNode n)
        {
            int d = spatial.Length;
            if ((Strides?.Length ?? d) != d || (Dilations?.Length ?? d) != d || (Pads?.Length ?? 2 * d) != 2 * d || kernel.Length != d)
                throw new OnnxRuntimeException($"{n.Where}: attributes do not match the input's {d} spatial dims");
            var w = new Window[d];
            for (int i = 0; i < d; i++)
            {
                int k = kernel[i], s = (int)(Strides?[i] ?? 1), dil = (int)(Dilations?[i] ?? 1), size = spatial[i];
                int extent = checked((k - 1) * dil + 1);
                int pb = (int)(Pads?[i] ?? 0), pe = (int)(Pads?[i + d] ?? 0);
                if (AutoPad is "SAME_UPPER" or "SAME_LOWER")
                {
                    int outSize = (size + s - 1) / s;
                    int total = Math.Max(0, (outSize - 1) * s + extent - size);
                    (pb, pe) = AutoPad == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
                }
                else if (AutoPad == "VALID") (pb, pe) = (0, 0);
                long padded = (long)size + pb + pe;
                if (padded < extent) throw new OnnxRuntimeException($"{n.Where}: window extent {extent} exceeds the padded input {padded}");
                if (ceilMode)
                {
                    long outCeil = (padded - extent + s - 1) / s + 1;
                    if ((outCeil - 1) * s >= size + pb) outCeil--;   // as ONNX Runtime and PyTorch: the last window starts inside the input or left padding
                    pe += (int)Math.Max(0, (outCeil - 1) * s + extent - padded);   // ceil_mode: one more window, reaching into extra padding
                }
                w[i] = new Window(k, s, dil, pb, pe);
            }
            return w;
        }
    }

    /// <summary>A 1-D input [N, C, L] is computed as 2-D [N, C, 1, L].</summary>
    static (Tensor x, bool oneD) As2d(Tensor x, OnnxNode n)
    {
        if (x.Rank == 3) return (F.Unsqueeze(x, 2), true);
        if (x.Rank == 4) return (x, false);
        throw new OnnxRuntimeException($"{n.Where}: input {Shapes.Format(x.shape)} must be [N, C, L] or [N, C, H, W]");
    }

    static Window[] Geometry2d(WindowAttributes a, int[] spatial, int[] kernel, bool oneD, bool ceilMode, OnnxNode n)
    {
        var w = a.Resolve(spatial, kernel, ceilMode, n);
        return oneD ? [new Window(1, 1, 1, 0, 0), w[0]] : w;
    }

    static Tensor PadSpatial(Tensor x, Window[] w, double value) =>
        F.Pad(x, [w[1].PadBegin, w[1].PadEnd, w[0].PadBegin, w[0].PadEnd], PadMode.Constant, value);   // (left, right, top, bottom)

    static void RegisterNn()
    {
        Add("Gemm", n =>
        {
            double alpha = n.Float("alpha", 1), beta = n.Float("beta", 1);
            bool transA = n.Int("transA", 0) != 0, transB = n.Int("transB", 0) != 0;
            return x =>
            {
                var (a, b) = (T(x, 0, n), T(x, 1, n));
                if (a.Rank != 2 || b.Rank != 2) throw new OnnxRuntimeException($"{n.Where}: A {Shapes.Format(a.shape)} and B {Shapes.Format(b.shape)} must be matrices");
                var y = F.MatMul(transA ? a.T : a, transB ? b.T : b);
                if (alpha != 1) y = y * alpha;
                if (Opt(x, 2) is { } c) y = y + (beta == 1 ? c.Tensor(n.Where) : c.Tensor(n.Where) * beta);   // αA'B' + βC
                return One(y);
            };
        });
        Add("MatMul", n => x => One(F.MatMul(T(x, 0, n), T(x, 1, n))));
        Add("Conv", n =>
        {
            var a = WindowAttributes.Read(n, kernelRequired: false, maxSpatial: 3);
            long group = n.Int("group", 1);
            if (group < 1 || group > int.MaxValue) throw n.Invalid($"group {group}");
            return x =>
            {
                if (T(x, 0, n).Rank == 5) return One(Conv3d(T(x, 0, n), T(x, 1, n), Opt(x, 2)?.Tensor(n.Where), a, (int)group, n));
                var (input, oneD) = As2d(T(x, 0, n), n);
                var weight = T(x, 1, n);
                if (weight.Rank != input.Rank - (oneD ? 1 : 0)) throw new OnnxRuntimeException($"{n.Where}: weight {Shapes.Format(weight.shape)} does not match input {Shapes.Format(input.shape)}");
                if (oneD) weight = F.Unsqueeze(weight, 2);
                var bias = Opt(x, 2)?.Tensor(n.Where);
                int[] spatial = oneD ? [input.Shape[3]] : [input.Shape[2], input.Shape[3]];
                int[] kernel = oneD ? [weight.Shape[3]] : [weight.Shape[2], weight.Shape[3]];
                if (a.Kernel is { } k && !k.Select(v => (int)v).SequenceEqual(kernel))
                    throw new OnnxRuntimeException($"{n.Where}: kernel_shape [{string.Join(", ", k)}] differs from the weight {Shapes.Format(weight.shape)}");
                var w = Geometry2d(a, spatial, kernel, oneD, ceilMode: false, n);
                bool symmetric = w.All(g => g.PadBegin == g.PadEnd);
                if (!symmetric) input = PadSpatial(input, w, 0);
                var y = F.Conv2d(input, weight, bias, new Size2(w[0].Stride, w[1].Stride),
                    symmetric ? new Size2(w[0].PadBegin, w[1].PadBegin) : new Size2(0, 0), new Size2(w[0].Dilation, w[1].Dilation), (int)group);
                return One(oneD ? F.Squeeze(y, 2) : y);
            };
        });
        Add("ConvTranspose", ConvTranspose);
        Add("Resize", Resize);
        Add("MaxPool", n => Pool(n, max: true));
        Add("AveragePool", n => Pool(n, max: false));
        Add("GlobalAveragePool", n => x => { var t = T(x, 0, n); return One(F.Mean(t, SpatialDims(t, n), keepDim: true)); });
        Add("GlobalMaxPool", n => x => { var t = T(x, 0, n); return One(F.Max(t, SpatialDims(t, n), keepDim: true)); });
        Add("BatchNormalization", BatchNormalization);
        Add("LayerNormalization", LayerNormalization);
        Add("Dropout", n =>
        {
            if (n.Opset < 7 && n.Int("is_test", 0) == 0 && n.Has("is_test")) throw n.Unsupported("training mode (is_test = 0)");
            return x =>
            {
                var v = Req(x, 0, n);
                bool training = Opt(x, 2) is { } tm && tm.AsDoubles().Single() != 0;
                double ratio = Opt(x, 1) is { } r ? r.AsDoubles().Single() : n.Float("ratio", 0.5f);
                if (training && ratio != 0) throw n.Unsupported("random dropout (training_mode with ratio > 0)");
                var mask = OnnxValue.OfInts(Enumerable.Repeat(1L, Shapes.Numel(v.Shape)).ToArray(), v.Shape, DataType.Bool);
                return n.OutputCount > 1 ? [v, mask] : [v];
            };
        });
        Add("Identity", n => x => [Req(x, 0, n)]);
        Add("Softmax", n => SoftmaxLike(n, F.Softmax));
        Add("LogSoftmax", n => SoftmaxLike(n, F.LogSoftmax));
    }

    /// <summary>Conv on [N, C, D, H, W]: F.Conv3d, with asymmetric pads applied as explicit zero padding.</summary>
    static Tensor Conv3d(Tensor input, Tensor weight, Tensor? bias, WindowAttributes a, int group, OnnxNode n)
    {
        if (weight.Rank != 5) throw new OnnxRuntimeException($"{n.Where}: weight {Shapes.Format(weight.shape)} does not match input {Shapes.Format(input.shape)}");
        int[] kernel = [weight.Shape[2], weight.Shape[3], weight.Shape[4]];
        if (a.Kernel is { } k && !k.Select(v => (int)v).SequenceEqual(kernel))
            throw new OnnxRuntimeException($"{n.Where}: kernel_shape [{string.Join(", ", k)}] differs from the weight {Shapes.Format(weight.shape)}");
        var w = a.Resolve([input.Shape[2], input.Shape[3], input.Shape[4]], kernel, ceilMode: false, n);
        bool symmetric = w.All(g => g.PadBegin == g.PadEnd);
        if (!symmetric)
            input = F.Pad(input, [w[2].PadBegin, w[2].PadEnd, w[1].PadBegin, w[1].PadEnd, w[0].PadBegin, w[0].PadEnd]);   // last dim first
        Size3 Of(Func<Window, int> f) => (f(w[0]), f(w[1]), f(w[2]));
        return F.Conv3d(input, weight, bias, Of(g => g.Stride), symmetric ? Of(g => g.PadBegin) : 0, Of(g => g.Dilation), group);
    }

    static int[] SpatialDims(Tensor t, OnnxNode n) =>
        t.Rank >= 3 ? [.. Enumerable.Range(2, t.Rank - 2)] : throw new OnnxRuntimeException($"{n.Where}: input {Shapes.Format(t.shape)} has no spatial dims");

    static OnnxKernel Pool(OnnxNode n, bool max)
    {
        var a = WindowAttributes.Read(n, kernelRequired: true, maxSpatial: 3);
        bool ceil = n.Int("ceil_mode", 0) != 0;
        bool countIncludePad = n.Int("count_include_pad", 0) != 0;
        bool indices = max && n.OutputCount > 1 && n.Proto.Output[1].Length > 0;
        bool columnMajor = n.Int("storage_order", 0) != 0;
        return x =>
        {
            var v = Req(x, 0, n);
            if (!v.IsFloat)
            {
                // Integer input (uint8 images): pooled exactly in float64, then converted back.
                if (!max) throw new OnnxRuntimeException($"{n.Where}: AveragePool of {v.ElemType}");
                var asDouble = Tensor.FromArray(v.AsDoubles(), v.Shape, DType.Float64);
                var (pooled, idx) = PoolBySlices(asDouble, a, max, ceil, countIncludePad, indices, columnMajor, n);
                var back = OnnxValue.OfInts([.. pooled.ToArray().Select(d => (long)d)], [.. pooled.Shape], v.ElemType);
                return idx is null ? [back] : [back, idx];
            }
            var t = v.Float!;
            if (t.Rank == 5 || indices || a.Dilations?.Any(d => d != 1) == true)
            {
                var (pooledSlices, idx) = PoolBySlices(t, a, max, ceil, countIncludePad, indices, columnMajor, n);
                return idx is null ? One(pooledSlices) : [OnnxValue.Of(pooledSlices), idx];
            }
            var (input, oneD) = As2d(t, n);
            int[] spatial = oneD ? [input.Shape[3]] : [input.Shape[2], input.Shape[3]];
            var kernel = a.Kernel!.Select(k => (int)k).ToArray();
            var w = Geometry2d(a, spatial, kernel, oneD, ceil, n);
            // A padded average divides by how much of each window counts: done by the slices, which count it.
            if (!max && w.Any(g => g.PadBegin > 0 || g.PadEnd > 0)) return One(PoolBySlices(t, a, max, ceil, countIncludePad, false, false, n).y);
            var k2 = new Size2(w[0].Kernel, w[1].Kernel);
            var s2 = new Size2(w[0].Stride, w[1].Stride);
            var y = max ? F.MaxPool2d(PadSpatial(input, w, double.NegativeInfinity), k2, s2, 0) : F.AvgPool2d(input, k2, s2, 0, countIncludePad: true);
            return One(oneD ? F.Squeeze(y, 2) : y);
        };
    }

    /// <summary>
    /// Any pool (3-D, dilated) as the max or mean of the window's strided slices of the padded input: one slice per
    /// kernel offset, each holding that offset's element of every window.
    /// </summary>
    static (Tensor y, OnnxValue? indices) PoolBySlices(Tensor input, WindowAttributes a, bool max, bool ceil, bool countIncludePad, bool withIndices, bool columnMajor, OnnxNode n)
    {
        int d = input.Rank - 2;
        if (d < 1) throw new OnnxRuntimeException($"{n.Where}: input {Shapes.Format(input.shape)} has no spatial dims");
        var spatial = input.shape[2..];
        var kernel = a.Kernel!.Select(k => (int)k).ToArray();
        var w = a.Resolve(spatial, kernel, ceil, n);
        var explicitPads = a.Resolve(spatial, kernel, ceilMode: false, n);
        var outSize = new int[d];
        for (int i = 0; i < d; i++)
            outSize[i] = (spatial[i] + w[i].PadBegin + w[i].PadEnd - ((w[i].Kernel - 1) * w[i].Dilation + 1)) / w[i].Stride + 1;
        // F.Pad's order: (begin, end) of the last spatial dim first.
        Tensor Padded(Tensor t, double value, Func<int, (int b, int e)> pads) =>
            F.Pad(t, [.. Enumerable.Range(0, d).Reverse().SelectMany(i => new[] { pads(i).b, pads(i).e })], PadMode.Constant, value);
        IEnumerable<Tensor> Slices(Tensor padded)
        {
            int count = kernel.Aggregate(1, (p, k) => checked(p * k));
            for (int o = 0; o < count; o++)
            {
                var t = padded;
                for (int i = d - 1, rest = o; i >= 0; rest /= kernel[i], i--)
                {
                    int start = rest % kernel[i] * w[i].Dilation;
                    t = F.Slice(t, 2 + i, start, start + (outSize[i] - 1) * w[i].Stride + 1, w[i].Stride);
                }
                yield return t;
            }
        }
        if (max)
        {
            var windows = Slices(Padded(input, double.NegativeInfinity, i => (w[i].PadBegin, w[i].PadEnd))).ToList();
            var y = windows.Aggregate((m, t) => F.Where(F.Gt(t, m), t, m));       // the first of equal maxima wins
            if (!withIndices) return (y, null);
            // Indices: each element's position in the whole input (row-major, or with storage_order 1 column-major
            // within each spatial plane), carried through the same slices.
            int plane = Shapes.Numel(spatial);
            double Position(int i)
            {
                if (!columnMajor) return i;
                int offset = 0, rest = i % plane, scale = 1;
                var multi = new int[d];
                for (int k = d - 1; k >= 0; k--) { multi[k] = rest % spatial[k]; rest /= spatial[k]; }
                for (int k = 0; k < d; k++) { offset += multi[k] * scale; scale *= spatial[k]; }
                return i - i % plane + offset;
            }
            var positions = Tensor.FromArray([.. Enumerable.Range(0, input.Numel).Select(Position)], [.. input.Shape], DType.Float64);
            var candidates = Slices(Padded(positions, -1, i => (w[i].PadBegin, w[i].PadEnd))).ToList();
            Tensor best = windows[0].Detach(), at = candidates[0];
            for (int k = 1; k < windows.Count; k++)
            {
                var better = F.Gt(windows[k].Detach(), best);
                (best, at) = (F.Where(better, windows[k].Detach(), best), F.Where(F.ToDType(better, DType.Float64), candidates[k], at));
            }
            return (y, OnnxValue.OfInts([.. at.ToArray().Select(d => (long)d)], [.. at.Shape]));
        }
        var sum = Slices(Padded(input, 0, i => (w[i].PadBegin, w[i].PadEnd))).Aggregate(F.Add);
        // The divisor counts the input always, the explicit pads with count_include_pad, never ceil_mode's extra.
        var ones = Tensor.Ones([1, 1, .. spatial], input.DType);
        var counted = countIncludePad ? Padded(ones, 1, i => (explicitPads[i].PadBegin, explicitPads[i].PadEnd)) : ones;
        var share = Slices(countIncludePad ? Padded(counted, 0, i => (0, w[i].PadEnd - explicitPads[i].PadEnd))
            : Padded(counted, 0, i => (w[i].PadBegin, w[i].PadEnd))).Aggregate(F.Add);
        return (sum / share, null);
    }

    static OnnxKernel BatchNormalization(OnnxNode n)
    {
        double eps = n.Float("epsilon", 1e-5f), momentum = n.Float("momentum", 0.9f);
        bool training = n.Opset >= 14 && n.Int("training_mode", 0) != 0;
        if (n.Opset < 9 && n.Int("spatial", 1) == 0) throw n.Unsupported("spatial = 0");
        if (!training && n.OutputCount > 1) throw n.Unsupported("the training outputs of opset < 14");
        return x =>
        {
            var input = T(x, 0, n);
            if (input.Rank < 2) throw new OnnxRuntimeException($"{n.Where}: input {Shapes.Format(input.shape)} needs a channel dim");
            int c = input.Shape[1];
            var paramShape = new int[input.Rank - 1];
            Array.Fill(paramShape, 1);
            paramShape[0] = c;
            Tensor P(int i)
            {
                var t = T(x, i, n);
                if (t.Numel != c) throw new OnnxRuntimeException($"{n.Where}: input {i} {Shapes.Format(t.shape)} must hold {c} values");
                return F.Reshape(t, paramShape);
            }
            var (scale, bias, mean, variance) = (P(1), P(2), P(3), P(4));
            if (!training) return One((input - mean) / F.Sqrt(variance + eps) * scale + bias);
            var dims = Enumerable.Range(0, input.Rank).Where(d => d != 1).ToArray();
            var batchMean = F.Mean(input, dims, keepDim: true);
            var centred = input - batchMean;
            var batchVar = F.Mean(centred * centred, dims, keepDim: true);               // population variance, as ONNX's reference
            var y = centred / F.Sqrt(batchVar + eps) * scale + bias;
            var runMean = F.Reshape(mean * momentum + F.Squeeze(batchMean, 0) * (1 - momentum), c);
            var runVar = F.Reshape(variance * momentum + F.Squeeze(batchVar, 0) * (1 - momentum), c);
            return [OnnxValue.Of(y), OnnxValue.Of(runMean), OnnxValue.Of(runVar)];
        };
    }

    // Y = F.LayerNorm over the dims from axis on; the optional Mean and InvStdDev outputs keep those dims as size 1.
    static OnnxKernel LayerNormalization(OnnxNode n)
    {
        long axisAttr = n.Int("axis", -1);
        double eps = n.Float("epsilon", 1e-5f);
        if (n.Int("stash_type", 1) != 1) throw n.Unsupported($"stash_type {n.Int("stash_type", 1)} (only 1, statistics in float)");
        return x =>
        {
            var input = T(x, 0, n);
            int axis = Axis(axisAttr, input.Rank, n);
            int[] normalized = input.shape[axis..];
            Tensor Param(Tensor t) => Shapes.Equal(t.shape, normalized) ? t : F.Expand(t, normalized);
            var scale = Param(T(x, 1, n));
            var bias = Opt(x, 2) is { } b ? Param(b.Tensor(n.Where)) : null;
            var y = F.LayerNorm(input, normalized, scale, bias, eps);
            if (n.OutputCount == 1) return One(y);
            int[] dims = [.. Enumerable.Range(axis, input.Rank - axis)];
            var mean = F.Mean(input, dims, keepDim: true);
            var centred = input - mean;
            var invStd = 1 / F.Sqrt(F.Mean(centred * centred, dims, keepDim: true) + eps);
            return [OnnxValue.Of(y), OnnxValue.Of(mean), OnnxValue.Of(invStd)];
        };
    }

    static OnnxKernel SoftmaxLike(OnnxNode n, Func<Tensor, int, Tensor> f)
    {
        long axisAttr = n.Int("axis", n.Opset >= 13 ? -1 : 1);
        return x =>
        {
            var t = T(x, 0, n);
            int axis = Axis(axisAttr, t.Rank, n);
            if (n.Opset >= 13) return One(f(t, axis));
            // Before opset 13 the input is coerced to 2-D [∏ dims before axis, ∏ dims from axis] and normalised per row.
            int outer = Shapes.Numel(t.shape.AsSpan(0, axis)), inner = Shapes.Numel(t.shape.AsSpan(axis));
            return One(F.Reshape(f(F.Reshape(t, outer, inner), 1), [.. t.shape]));
        };
    }
}
