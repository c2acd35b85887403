using System.Runtime.CompilerServices;

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
    /// <summary>Sum divided by the batch size (dim 0); only <see cref="F.KlDivLoss"/> takes it, as in PyTorch.</summary>
    BatchMean,
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
    public static Tensor BceLoss(Tensor p, Tensor y, Reduction reduction = Reduction.Mean) => BceLoss(p, y, reduction, null);

    /// <summary>Binary cross-entropy with each element's loss scaled by <paramref name="weight"/> (broadcast), as PyTorch's <c>weight</c>.</summary>
    public static Tensor BceLoss(Tensor p, Tensor y, Reduction reduction, Tensor? weight)
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
        return ApplyReduction(Weighted("BceLoss", loss, weight), reduction);
    }

    /// <summary>Binary cross-entropy on logits x: max(x, 0) − x·y + log(1 + e^−|x|), stable for any x.</summary>
    public static Tensor BceWithLogitsLoss(Tensor x, Tensor y, Reduction reduction = Reduction.Mean) => BceWithLogitsLoss(x, y, reduction, null);

    /// <summary>
    /// Binary cross-entropy on logits with PyTorch's <c>weight</c> (scales each element's loss) and <c>pos_weight</c>
    /// (scales the positive term; broadcast, usually one per class along the last dim).
    /// </summary>
    public static Tensor BceWithLogitsLoss(Tensor x, Tensor y, Reduction reduction, Tensor? weight, Tensor? posWeight = null)
    {
        CheckSameShape("BceWithLogitsLoss", x, y);
        var loss = posWeight is null ? BceWithLogits(x, y) : BceWithLogitsPosWeight(x, y, posWeight);
        return ApplyReduction(Weighted("BceWithLogitsLoss", loss, weight), reduction);
    }

    static Tensor BceWithLogits(Tensor x, Tensor y)
    {
        Tensor o;
        using (Autograd.NoGrad())
            o = ReLU(x) - x * y + Log1p(Exp(-Abs(x)));
        var loss = Autograd.Record("BceWithLogitsLoss", o, [x, y], g => [
            x.RequiresGrad ? g * (Sigmoid(x) - y) : null,                        // dL/dx = g·(σ(x) − y)
            y.RequiresGrad ? -g * x : null,                                      // dL/dy = −g·x
        ], x, y);
        return loss;
    }

    // (1 − y)·x + (1 + (pw − 1)·y)·(log(1 + e^−|x|) + max(−x, 0)): PyTorch's stable form with the positive weight pw.
    static Tensor BceWithLogitsPosWeight(Tensor x, Tensor y, Tensor pw)
    {
        CheckSameDType("BceWithLogitsLoss", x, pw);
        Shapes.Broadcast("BceWithLogitsLoss (pos_weight)", x.shape, pw.shape);
        Tensor o;
        using (Autograd.NoGrad())
            o = (1 - y) * x + ((pw - 1) * y + 1) * (Log1p(Exp(-Abs(x))) + ReLU(-x));
        return Autograd.Record("BceWithLogitsPosWeight", o, [x, y, pw], g => [
            x.RequiresGrad ? g * ((pw * y + 1 - y) * Sigmoid(x) - pw * y) : null,  // dL/dx = g·((pw·y + 1 − y)σ(x) − pw·y)
            y.RequiresGrad ? g * ((pw - 1) * (Log1p(Exp(-Abs(x))) + ReLU(-x)) - x) : null,   // dL/dy = g·((pw − 1)·log(1 + e^−x) − x)
            pw.RequiresGrad ? g * y * (Log1p(Exp(-Abs(x))) + ReLU(-x)) : null,   // dL/dpw = g·y·log(1 + e^−x)
        ], x, y, pw);
    }

    // loss·weight (weight broadcast against the loss), or the loss itself without a weight.
    static Tensor Weighted(string op, Tensor loss, Tensor? weight)
    {
        if (weight is null) return loss;
        CheckSameDType(op, loss, weight);
        if (!Shapes.Equal(Shapes.Broadcast(op + " (weight)", loss.shape, weight.shape), loss.shape))
            throw new ArgumentException($"{op}: weight {Shapes.Format(weight.shape)} must broadcast to the loss {Shapes.Format(loss.shape)}");
        return loss * weight;
    }

    /// <summary>
    /// Cross-entropy of logits [N, C] (or [C]) against class indices: NllLoss(LogSoftmax(logits, 1), targets), with
    /// PyTorch's class <paramref name="weight"/> [C], <paramref name="ignoreIndex"/> and <paramref name="labelSmoothing"/>
    /// ε: (1 − ε)·nll + (ε/C)·Σ_c w_c·(−log p_c), the smoothing term reduced with the same weights as nll.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, Reduction reduction, Tensor? weight,
        int ignoreIndex = -100, double labelSmoothing = 0.0)
    {
        if (logits.Rank is not (1 or 2))
            throw new ArgumentException($"CrossEntropy: logits must be [N, C] or [C], got {Shapes.Format(logits.shape)}");
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentException($"CrossEntropy: label_smoothing must be in [0, 1], got {labelSmoothing}");
        var logProbs = LogSoftmax(logits, -1);
        var nll = NllLoss(logProbs, targets, reduction, weight, ignoreIndex);
        if (labelSmoothing == 0) return nll;
        var (_, rowWeight, keep) = NllTargets("CrossEntropy", logProbs, targets, weight, ignoreIndex);
        var lp = logProbs.Rank == 1 ? Unsqueeze(logProbs, 0) : logProbs;
        var perClass = weight is null ? -lp : -lp * weight;
        var smooth = Sum(perClass, 1) * keep;                                 // ignored rows contribute nothing
        if (logProbs.Rank == 1) smooth = Reshape(smooth, []);
        var reduced = reduction switch
        {
            Reduction.Mean => Sum(smooth) / Sum(rowWeight),
            Reduction.Sum => Sum(smooth),
            Reduction.None => smooth,
            _ => throw new ArgumentException($"CrossEntropy: reduction {reduction} is not one of None, Mean, Sum"),
        };
        return nll * (1 - labelSmoothing) + reduced * (labelSmoothing / lp.shape[1]);
    }

    /// <summary>Cross-entropy of logits [N, C] (or [C]) against class indices: NllLoss(LogSoftmax(logits, 1), targets).</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, Reduction reduction = Reduction.Mean) =>
        CrossEntropy(logits, targets, reduction, null);

    /// <summary>Cross-entropy with the class indices as ints.</summary>
    public static Tensor CrossEntropy(Tensor logits, int[] targets, Reduction reduction = Reduction.Mean) =>
        CrossEntropy(logits, targets, reduction, null);

    /// <summary>Cross-entropy with the class indices as ints, with class weights, ignore_index and label smoothing.</summary>
    public static Tensor CrossEntropy(Tensor logits, int[] targets, Reduction reduction, Tensor? weight,
        int ignoreIndex = -100, double labelSmoothing = 0.0)
        => CrossEntropy(logits, Tensor.FromArray(Array.ConvertAll(targets, t => (double)t), [targets.Length], logits.DType),
            reduction, weight, ignoreIndex, labelSmoothing);

    /// <summary>Negative log-likelihood of log-probabilities [N, C] (or [C]) at the target class indices: −logp[i, tᵢ].</summary>
    public static Tensor NllLoss(Tensor logProbs, Tensor targets, Reduction reduction = Reduction.Mean) =>
        NllLoss(logProbs, targets, reduction, null);

    /// <summary>
    /// Negative log-likelihood of log-probabilities [N, C] (or [C]) at the target class indices: −w[tᵢ]·logp[i, tᵢ];
    /// targets equal to <paramref name="ignoreIndex"/> count for nothing. The mean divides by Σ w[tᵢ] over the kept
    /// targets, as in PyTorch.
    /// </summary>
    public static Tensor NllLoss(Tensor logProbs, Tensor targets, Reduction reduction, Tensor? weight, int ignoreIndex = -100)
    {
        var (index, rowWeight, keep) = NllTargets("NllLoss", logProbs, targets, weight, ignoreIndex);
        bool single = logProbs.Rank == 1;
        var lp = single ? Unsqueeze(logProbs, 0) : logProbs;
        var picked = -PickColumns(lp, index);
        bool plain = weight is null && keep.ToArray().All(k => k == 1);
        if (plain)   // the unweighted path, bit for bit what it always was
            return ApplyReduction(single ? Reshape(picked, []) : picked, reduction);
        var loss = picked * rowWeight;
        if (single) loss = Reshape(loss, []);
        return reduction switch
        {
            Reduction.Mean => Sum(loss) / Sum(rowWeight),
            Reduction.Sum => Sum(loss),
            Reduction.None => loss,
            _ => throw new ArgumentException($"NllLoss: reduction {reduction} is not one of None, Mean, Sum"),
        };
    }

    // Checks input and targets; per row: the column to pick (0 for ignored rows), its class weight (0 if ignored),
    // and 1/0 for kept/ignored.
    static (int[] Index, Tensor RowWeight, Tensor Keep) NllTargets(string op, Tensor logProbs, Tensor targets, Tensor? weight, int ignoreIndex)
    {
        bool single = logProbs.Rank == 1;
        if (logProbs.Rank is not (1 or 2)) throw new ArgumentException($"{op}: input must be [N, C] or [C], got {Shapes.Format(logProbs.shape)}");
        int n = single ? 1 : logProbs.shape[0], c = logProbs.shape[^1];
        var t = targets.ToArray();
        if (t.Length != n || (single ? targets.Rank > 1 : targets.Rank != 1))
            throw new ArgumentException($"{op}: targets of shape {Shapes.Format(targets.shape)} do not match input {Shapes.Format(logProbs.shape)} (expected [{n}])");
        double[]? w = null;
        if (weight is not null)
        {
            if (weight.Rank != 1 || weight.Numel != c)
                throw new ArgumentException($"{op}: weight {Shapes.Format(weight.shape)} must be [{c}], one per class of input {Shapes.Format(logProbs.shape)}");
            w = weight.ToArray();
        }
        var index = new int[n];
        double[] rowWeight = new double[n], keep = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (t[i] == ignoreIndex) continue;
            if (t[i] != Math.Floor(t[i]) || t[i] < 0 || t[i] >= c)
                throw new ArgumentException($"{op}: target {t[i]} at position {i} is not a class index in [0, {c - 1}] (nor ignore_index {ignoreIndex})");
            index[i] = (int)t[i];
            keep[i] = 1;
            rowWeight[i] = w?[index[i]] ?? 1;
        }
        return (index, Tensor.FromArray(rowWeight, [n], logProbs.DType), Tensor.FromArray(keep, [n], logProbs.DType));
    }

    /// <summary>Mean absolute error |input − target|; the gradient at 0 is 0, as in PyTorch.</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape("L1Loss", input, target);
        return ApplyReduction(Abs(input - target), reduction);
    }

    /// <summary>Smooth L1: ½d²/β where |d| &lt; β, |d| − ½β elsewhere (d = input − target); β = 0 is L1.</summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0)
    {
        CheckSameShape("SmoothL1Loss", input, target);
        if (!(beta >= 0)) throw new ArgumentException($"SmoothL1Loss: beta must be non-negative, got {beta}");
        var d = input - target;
        // β = 0: |d| with PyTorch's gradient −1 at d = 0 (its kernel tests d ≤ −β first); no quadratic branch to divide by 0.
        if (beta == 0) return ApplyReduction(Where(Gt(d, 0), d, -d), reduction);
        var ad = Abs(d);
        return ApplyReduction(Where(Lt(ad, beta), d * d * (0.5 / beta), ad - 0.5 * beta), reduction);
    }

    /// <summary>Huber: ½d² where |d| ≤ δ, δ(|d| − ½δ) elsewhere (d = input − target); δ must be positive.</summary>
    public static Tensor HuberLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double delta = 1.0)
    {
        CheckSameShape("HuberLoss", input, target);
        if (!(delta > 0)) throw new ArgumentException($"HuberLoss: delta must be positive, got {delta}");
        var d = input - target;
        var ad = Abs(d);
        return ApplyReduction(Where(Le(ad, delta), d * d * 0.5, (ad - 0.5 * delta) * delta), reduction);
    }

    /// <summary>
    /// KL divergence of the target from the input, which holds log-probabilities: t·(log t − input) pointwise (0 where
    /// t = 0), or e^t·(t − input) with <paramref name="logTarget"/>. <see cref="Reduction.BatchMean"/> divides the sum
    /// by the batch size (the true KL); Mean divides by every element, as PyTorch does.
    /// </summary>
    public static Tensor KlDivLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool logTarget = false)
    {
        CheckSameShape("KlDivLoss", input, target);
        Tensor pointwise;
        if (logTarget) pointwise = Exp(target) * (target - input);
        else
        {
            var positive = Gt(target, 0);
            var tLogT = Where(positive, target * Log(Where(positive, target, OnesLikeConst(target))), ScalarLike(target, 0));   // xlogy(t, t)
            pointwise = tLogT - target * input;
        }
        if (reduction != Reduction.BatchMean) return ApplyReduction(pointwise, reduction);
        int batch = input.Rank == 0 ? 1 : input.shape[0];
        return Sum(pointwise) / batch;
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

    static Tensor ApplyReduction(Tensor loss, Reduction reduction, [CallerMemberName] string op = "") => reduction switch
    {
        Reduction.Mean => Mean(loss),
        Reduction.Sum => Sum(loss),
        Reduction.None => loss,
        _ => throw new ArgumentException($"{op}: reduction {reduction} applies to KlDivLoss only; use None, Mean or Sum"),
    };

    static void CheckSameShape(string op, Tensor input, Tensor target)
    {
        if (!Shapes.Equal(input.shape, target.shape))
            throw new ArgumentException($"{op}: input {Shapes.Format(input.shape)} and target {Shapes.Format(target.shape)} must have the same shape");
        CheckSameDType(op, input, target);
    }
}
