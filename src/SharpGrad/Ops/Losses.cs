namespace SharpGrad;

/// <summary>How a loss combines its per-element values.</summary>
public enum Reduction
{
    /// <summary>Average (PyTorch's default).</summary>
    Mean,
    /// <summary>Sum.</summary>
    Sum,
    /// <summary>No reduction: one loss per element.</summary>
    None,
}

public static partial class F
{
    /// <summary>Mean squared error, mean((input − target)²) by default.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape("MseLoss", input, target);
        return ApplyReduction(Pow(input - target, 2), reduction);                        // dL/dinput = 2(input − target)/n
    }

    /// <summary>Binary cross-entropy on probabilities: −(y log p + (1 − y) log(1 − p)), logs clamped at −100 as in PyTorch.</summary>
    public static Tensor BceLoss(Tensor p, Tensor y, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape("BceLoss", p, y);
        var values = p.ToArray();
        foreach (var v in values)
            if (!(v >= 0 && v <= 1)) throw new ArgumentException($"BceLoss: input must be probabilities in [0, 1], found {v} (input shape {Shapes.Format(p.shape)})");
        Tensor o;
        using (Autograd.NoGrad())
            o = -(y * Clamp(Log(p), min: -100) + (1 - y) * Clamp(Log(1 - p), min: -100));
        var loss = Autograd.Record("BceLoss", o, [p, y], g => [
            p.RequiresGrad ? g * (p - y) / Clamp((1 - p) * p, min: 1e-12) : null, // dL/dp = g·(p − y)/max(p(1 − p), 1e-12)
            y.RequiresGrad ? g * (Clamp(Log(1 - p), min: -100) - Clamp(Log(p), min: -100)) : null,   // dL/dy = g·(log(1 − p) − log p)
        ], p, y);
        return ApplyReduction(loss, reduction);
    }

    /// <summary>Binary cross-entropy on logits x: max(x, 0) − x·y + log(1 + e^−|x|), stable for any x.</summary>
    public static Tensor BceWithLogitsLoss(Tensor x, Tensor y, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape("BceWithLogitsLoss", x, y);
        Tensor o;
        using (Autograd.NoGrad())
            o = ReLU(x) - x * y + Log1p(Exp(-Abs(x)));
        var loss = Autograd.Record("BceWithLogitsLoss", o, [x, y], g => [
            x.RequiresGrad ? g * (Sigmoid(x) - y) : null,                        // dL/dx = g·(σ(x) − y)
            y.RequiresGrad ? -g * x : null,                                      // dL/dy = −g·x
        ], x, y);
        return ApplyReduction(loss, reduction);
    }

    /// <summary>Cross-entropy of logits [N, C] (or [C]) against class indices: NllLoss(LogSoftmax(logits, 1), targets).</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        if (logits.Rank is not (1 or 2))
            throw new ArgumentException($"CrossEntropy: logits must be [N, C] or [C], got {Shapes.Format(logits.shape)}");
        return NllLoss(LogSoftmax(logits, -1), targets, reduction);
    }

    /// <summary>Cross-entropy with the class indices as ints.</summary>
    public static Tensor CrossEntropy(Tensor logits, int[] targets, Reduction reduction = Reduction.Mean)
        => CrossEntropy(logits, Tensor.FromArray(Array.ConvertAll(targets, t => (double)t), [targets.Length], logits.DType), reduction);

    /// <summary>Negative log-likelihood of log-probabilities [N, C] (or [C]) at the target class indices: −logp[i, tᵢ].</summary>
    public static Tensor NllLoss(Tensor logProbs, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        bool single = logProbs.Rank == 1;
        var lp = single ? Unsqueeze(logProbs, 0) : logProbs;
        if (lp.Rank != 2) throw new ArgumentException($"NllLoss: input must be [N, C] or [C], got {Shapes.Format(logProbs.shape)}");
        int n = lp.shape[0], c = lp.shape[1];
        var t = targets.ToArray();
        if (t.Length != n || (single ? targets.Rank > 1 : targets.Rank != 1))
            throw new ArgumentException($"NllLoss: targets of shape {Shapes.Format(targets.shape)} do not match input {Shapes.Format(logProbs.shape)} (expected [{n}])");
        var index = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (t[i] != Math.Floor(t[i]) || t[i] < 0 || t[i] >= c)
                throw new ArgumentException($"NllLoss: target {t[i]} at position {i} is not a class index in [0, {c - 1}]");
            index[i] = (int)t[i];
        }
        var picked = -PickColumns(lp, index);
        var loss = single ? Reshape(picked, []) : picked;
        return ApplyReduction(loss, reduction);
    }

    /// <summary>out[i] = x[i, index[i]] for x [N, C].</summary>
    internal static Tensor PickColumns(Tensor x, int[] index)
    {
        var c = x.Contiguous();
        int cols = x.shape[1];
        var o = Tensor.Empty([index.Length], x.DType);
        for (int i = 0; i < index.Length; i++) o.SetRaw(i, c.GetRaw(c.offset + i * cols + index[i]));
        return Autograd.Record("PickColumns", o, [x], g => [ScatterColumns(g, index, x.shape)]);   // dL/dx = g placed at (i, index[i])
    }

    /// <summary>Zeros of <paramref name="shape"/> [N, C] with g[i] at (i, index[i]): the adjoint of <see cref="PickColumns"/>.</summary>
    static Tensor ScatterColumns(Tensor g, int[] index, int[] shape)
    {
        var o = Tensor.Zeros(shape, g.DType);
        var gv = g.ToArray();
        for (int i = 0; i < index.Length; i++) o.SetRaw(i * shape[1] + index[i], gv[i]);
        return Autograd.Record("ScatterColumns", o, [g], gg => [PickColumns(gg, index)]);   // dL/dg = gg[i, index[i]]
    }

    static Tensor ApplyReduction(Tensor loss, Reduction reduction) => reduction switch
    {
        Reduction.Mean => Mean(loss),
        Reduction.Sum => Sum(loss),
        _ => loss,
    };

    static void CheckSameShape(string op, Tensor input, Tensor target)
    {
        if (!Shapes.Equal(input.shape, target.shape))
            throw new ArgumentException($"{op}: input {Shapes.Format(input.shape)} and target {Shapes.Format(target.shape)} must have the same shape");
        CheckSameDType(op, input, target);
    }
}
