namespace SharpGrad.Tests.Core;

/// <summary>
/// Obviously-correct reference loops for the edge property tests: each op written from its definition (PyTorch's
/// documentation) over <see cref="Dense"/> arrays, one output element at a time, with no shortcut and no shared code
/// with SharpGrad. Shapes with a 0-size dim simply have no element to loop over; a 0-d shape has one.
/// </summary>
internal static class EdgeReference
{
    /// <summary>NumPy broadcasting of two shapes, or null when they do not broadcast.</summary>
    public static int[]? BroadcastShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var o = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1) return null;
            o[i] = da == 1 ? db : da;
        }
        return o;
    }

    /// <summary>The element of <paramref name="x"/> that output index <paramref name="index"/> reads under broadcasting.</summary>
    public static double Broadcast(Dense x, int[] index)
    {
        int shift = index.Length - x.Rank;
        var own = new int[x.Rank];
        for (int d = 0; d < x.Rank; d++) own[d] = x.Shape[d] == 1 ? 0 : index[d + shift];
        return x[own];
    }

    public static Dense Binary(Dense a, Dense b, Func<double, double, double> f) =>
        Dense.Build(BroadcastShape(a.Shape, b.Shape)!, i => f(Broadcast(a, i), Broadcast(b, i)));

    public static Dense Unary(Dense a, Func<double, double> f) => new(a.Shape, a.Data.Select(f).ToArray());

    /// <summary>Axes as PyTorch 1.13 reads a dim list: negatives from the end, an empty list for every axis.</summary>
    public static int[] Axes(int[] dims, int rank) =>
        rank == 0 ? [] : dims.Length == 0 ? Enumerable.Range(0, rank).ToArray() : dims.Select(d => d < 0 ? d + rank : d).ToArray();

    public enum Reduction { Sum, Mean, Max, Min }

    /// <summary>sum/mean/amax/amin over <paramref name="axes"/>: every output element folds the elements it covers.</summary>
    public static Dense Reduce(Dense x, int[] axes, bool keepDim, Reduction kind)
    {
        var keepShape = x.Shape.Select((s, d) => axes.Contains(d) ? 1 : s).ToArray();
        var reducedShape = x.Shape.Select((s, d) => axes.Contains(d) ? s : 1).ToArray();
        var kept = Dense.Build(keepShape, outIndex =>
        {
            var values = Dense.Indices(reducedShape)
                .Select(r => x[outIndex.Select((o, d) => axes.Contains(d) ? r[d] : o).ToArray()]).ToList();
            return kind switch
            {
                Reduction.Sum => values.Sum(),
                Reduction.Mean => values.Sum() / values.Count,   // 0/0 = nan for a mean of nothing, as torch
                Reduction.Max => values.Max(),
                _ => values.Min(),
            };
        });
        return keepDim ? kept : new Dense(x.Shape.Where((_, d) => !axes.Contains(d)).ToArray(), kept.Data);
    }

    /// <summary>Index of the first largest (smallest) element along <paramref name="axis"/>.</summary>
    public static Dense ArgExtreme(Dense x, int axis, bool keepDim, bool max)
    {
        var keepShape = x.Shape.Select((s, d) => d == axis ? 1 : s).ToArray();
        var kept = Dense.Build(keepShape, outIndex =>
        {
            int best = 0;
            var at = (int[])outIndex.Clone();
            for (int k = 1; k < x.Shape[axis]; k++)
            {
                at[axis] = k;
                double v = x[at];
                at[axis] = best;
                double b = x[at];
                if (max ? v > b : v < b) best = k;
            }
            return best;
        });
        return keepDim ? kept : new Dense(x.Shape.Where((_, d) => d != axis).ToArray(), kept.Data);
    }

    /// <summary>torch.matmul: 1-D operands promoted to a row (left) or column (right), batch dims broadcast, Σ_p a[i, p]·b[p, j].</summary>
    public static Dense MatMul(Dense a, Dense b)
    {
        var A = a.Rank == 1 ? new Dense([1, a.Shape[0]], a.Data) : a;
        var B = b.Rank == 1 ? new Dense([b.Shape[0], 1], b.Data) : b;
        int m = A.Shape[^2], k = A.Shape[^1], n = B.Shape[^1];
        var batch = BroadcastShape(A.Shape[..^2], B.Shape[..^2])!;
        var o = Dense.Build([.. batch, m, n], index =>
        {
            double sum = 0;
            for (int p = 0; p < k; p++)
                sum += Element(A, index[..^2], index[^2], p) * Element(B, index[..^2], p, index[^1]);
            return sum;
        });
        var shape = o.Shape.ToList();
        if (b.Rank == 1) shape.RemoveAt(shape.Count - 1);
        if (a.Rank == 1) shape.RemoveAt(shape.Count - (b.Rank == 1 ? 1 : 2));
        return new Dense([.. shape], o.Data);

        // The batch dims of t read as broadcast to the output's batch index.
        static double Element(Dense t, int[] batch, int row, int col)
        {
            var own = t.Shape[..^2];
            int shift = batch.Length - own.Length;
            return t[[.. own.Select((s, d) => s == 1 ? 0 : batch[d + shift]), row, col]];
        }
    }

    /// <summary>softmax (or log-softmax) along <paramref name="axis"/>: e^xᵢ / Σⱼ e^xⱼ over each line, written without the max shift.</summary>
    public static Dense Softmax(Dense x, int axis, bool log)
    {
        if (x.Rank == 0) return new Dense([], [log ? 0 : 1]);
        return Dense.Build(x.Shape, index =>
        {
            var at = (int[])index.Clone();
            double sum = 0;
            for (int j = 0; j < x.Shape[axis]; j++)
            {
                at[axis] = j;
                sum += Math.Exp(x[at]);
            }
            return log ? x[index] - Math.Log(sum) : Math.Exp(x[index]) / sum;
        });
    }

    /// <summary>A loss's per-element values combined as PyTorch's reduction: mean (nan over nothing), sum, or none.</summary>
    public static Dense Reduced(Dense perElement, SharpGrad.Reduction reduction) => reduction switch
    {
        SharpGrad.Reduction.Mean => new Dense([], [perElement.Data.Sum() / perElement.Data.Length]),
        SharpGrad.Reduction.Sum => new Dense([], [perElement.Data.Sum()]),
        _ => perElement,
    };

    /// <summary>Cross-entropy per row: log Σⱼ e^x[i, j] − x[i, tᵢ] (logits [N, C], or [C] with one target).</summary>
    public static Dense CrossEntropy(Dense logits, int[] targets)
    {
        bool single = logits.Rank == 1;
        int n = single ? 1 : logits.Shape[0], c = logits.Shape[^1];
        var loss = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.Exp(logits.Data[i * c + j]);
            loss[i] = Math.Log(sum) - logits.Data[i * c + targets[i]];
        }
        return new Dense(single ? [] : [n], loss);
    }

    /// <summary>
    /// Cross-correlation as torch.nn.functional.conv2d (groups 1): o[n, o, i, j] = b[o] + Σ_c Σ_p Σ_q
    /// x[n, c, s·i + d·p − pad, s·j + d·q − pad]·w[o, c, p, q], terms outside the input being zero padding.
    /// </summary>
    public static Dense Conv2d(Dense x, Dense w, Dense? b, (int H, int W) s, (int H, int W) pad, (int H, int W) dil)
    {
        int N = x.Shape[0], C = x.Shape[1], H = x.Shape[2], W = x.Shape[3], O = w.Shape[0], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (H + 2 * pad.H - dil.H * (kh - 1) - 1) / s.H + 1, ow = (W + 2 * pad.W - dil.W * (kw - 1) - 1) / s.W + 1;
        return Dense.Build([N, O, oh, ow], i =>
        {
            double sum = b is null ? 0 : b.Data[i[1]];
            for (int c = 0; c < C; c++)
                for (int p = 0; p < kh; p++)
                    for (int q = 0; q < kw; q++)
                    {
                        int y = s.H * i[2] + dil.H * p - pad.H, z = s.W * i[3] + dil.W * q - pad.W;
                        if (y >= 0 && y < H && z >= 0 && z < W) sum += x[[i[0], c, y, z]] * w[[i[1], c, p, q]];
                    }
            return sum;
        });
    }

    /// <summary>
    /// max_pool2d / avg_pool2d over [N, C, H, W] (floor mode): the window of output (i, j) starts at s·i − pad; max ignores
    /// the padding, avg divides by the window clipped to the padded input (count_include_pad) or to the input.
    /// </summary>
    public static Dense Pool2d(Dense x, int k, int s, int pad, bool max, bool countIncludePad)
    {
        int H = x.Shape[2], W = x.Shape[3];
        int oh = (H + 2 * pad - k) / s + 1, ow = (W + 2 * pad - k) / s + 1;
        return Dense.Build([x.Shape[0], x.Shape[1], oh, ow], i =>
        {
            int y0 = s * i[2] - pad, z0 = s * i[3] - pad;
            int paddedCount = (Math.Min(y0 + k, H + pad) - y0) * (Math.Min(z0 + k, W + pad) - z0);
            double best = double.NegativeInfinity, sum = 0;
            int inside = 0;
            for (int y = Math.Max(y0, 0); y < Math.Min(y0 + k, H); y++)
                for (int z = Math.Max(z0, 0); z < Math.Min(z0 + k, W); z++)
                {
                    double v = x[[i[0], i[1], y, z]];
                    best = Math.Max(best, v);
                    sum += v;
                    inside++;
                }
            return max ? best : sum / (countIncludePad ? paddedCount : inside);
        });
    }

    /// <summary>Python's a[start:end:step] for step ≥ 1: the first index and the count.</summary>
    public static (int start, int count) PythonSlice(int size, int start, int end, int step)
    {
        start = start < 0 ? Math.Max(start + size, 0) : Math.Min(start, size);
        end = end < 0 ? Math.Max(end + size, 0) : Math.Min(end, size);
        return (start, end > start ? (end - start + step - 1) / step : 0);
    }

    /// <summary>Output dim i reads input dim perm[i].</summary>
    public static Dense Permute(Dense x, int[] perm) =>
        Dense.Build(perm.Select(p => x.Shape[p]).ToArray(), index =>
        {
            var at = new int[x.Rank];
            for (int i = 0; i < perm.Length; i++) at[perm[i]] = index[i];
            return x[at];
        });

    /// <summary>Joins along <paramref name="axis"/>: output index j along it belongs to the first piece whose range holds j.</summary>
    public static Dense Cat(IReadOnlyList<Dense> pieces, int axis)
    {
        var shape = (int[])pieces[0].Shape.Clone();
        shape[axis] = pieces.Sum(p => p.Shape[axis]);
        return Dense.Build(shape, index =>
        {
            int j = index[axis];
            foreach (var p in pieces)
            {
                if (j < p.Shape[axis])
                {
                    var at = (int[])index.Clone();
                    at[axis] = j;
                    return p[at];
                }
                j -= p.Shape[axis];
            }
            throw new InvalidOperationException("unreachable: index past the last piece");
        });
    }

    public static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>
    /// One LSTM layer, PyTorch's equations (gates i, f, g, o stacked in W): for each t, a = W_ih·x_t + b_ih + W_hh·h + b_hh,
    /// c = σ(a_f)·c + σ(a_i)·tanh(a_g), h = σ(a_o)·tanh(c). Returns every h_t [T, B, H] and the last h, c.
    /// </summary>
    public static (Dense output, Dense h, Dense c) Lstm(Dense x, Dense h0, Dense c0, Dense wIh, Dense wHh, Dense? bIh, Dense? bHh)
    {
        int T = x.Shape[0], B = x.Shape[1], I = x.Shape[2], H = h0.Shape[1];
        var h = (double[])h0.Data.Clone();
        var c = (double[])c0.Data.Clone();
        var output = new double[T * B * H];
        for (int t = 0; t < T; t++)
        {
            var hNext = new double[B * H];
            var cNext = new double[B * H];
            for (int b = 0; b < B; b++)
                for (int j = 0; j < H; j++)
                {
                    double Gate(int gate)
                    {
                        int row = gate * H + j;
                        double sum = (bIh?.Data[row] ?? 0) + (bHh?.Data[row] ?? 0);
                        for (int k = 0; k < I; k++) sum += wIh.Data[row * I + k] * x.Data[(t * B + b) * I + k];
                        for (int k = 0; k < H; k++) sum += wHh.Data[row * H + k] * h[b * H + k];
                        return sum;
                    }
                    double cell = Sigmoid(Gate(1)) * c[b * H + j] + Sigmoid(Gate(0)) * Math.Tanh(Gate(2));
                    cNext[b * H + j] = cell;
                    hNext[b * H + j] = Sigmoid(Gate(3)) * Math.Tanh(cell);
                }
            h = hNext;
            c = cNext;
            Array.Copy(h, 0, output, t * B * H, B * H);
        }
        return (new Dense([T, B, H], output), new Dense([B, H], h), new Dense([B, H], c));
    }

    /// <summary>
    /// One GRU step (gates r, z, n): r = σ(W_ir x + b_ir + W_hr h + b_hr), z likewise, n = tanh(W_in x + b_in + r·(W_hn h + b_hn)),
    /// h' = (1 − z)·n + z·h; or, with <paramref name="gru"/> false, one tanh RNN step h' = tanh(W_ih x + b_ih + W_hh h + b_hh).
    /// </summary>
    public static Dense RecurrentStep(bool gru, Dense x, Dense h, Dense wIh, Dense wHh, Dense? bIh, Dense? bHh)
    {
        int B = x.Shape[0], I = x.Shape[1], H = h.Shape[1];
        double Part(Dense w, Dense? bias, double[] v, int width, int b, int row)
        {
            double sum = bias?.Data[row] ?? 0;
            for (int k = 0; k < width; k++) sum += w.Data[row * width + k] * v[b * width + k];
            return sum;
        }
        return Dense.Build([B, H], i =>
        {
            int b = i[0], j = i[1];
            if (!gru) return Math.Tanh(Part(wIh, bIh, x.Data, I, b, j) + Part(wHh, bHh, h.Data, H, b, j));
            double r = Sigmoid(Part(wIh, bIh, x.Data, I, b, j) + Part(wHh, bHh, h.Data, H, b, j));
            double z = Sigmoid(Part(wIh, bIh, x.Data, I, b, H + j) + Part(wHh, bHh, h.Data, H, b, H + j));
            double n = Math.Tanh(Part(wIh, bIh, x.Data, I, b, 2 * H + j) + r * Part(wHh, bHh, h.Data, H, b, 2 * H + j));
            return (1 - z) * n + z * h.Data[b * H + j];
        });
    }
}
