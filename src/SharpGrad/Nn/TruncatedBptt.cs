using SharpGrad.Optim;

namespace SharpGrad.Nn;

/// <summary>
/// Truncated backpropagation through time: the sequence runs in windows of k steps, the state handed from one window to
/// the next is detached, so no gradient reaches more than k steps back (k ≥ T is full BPTT). Memory then grows with k,
/// not T; the price is that dependencies longer than k steps cannot be learned.
/// </summary>
public static class TruncatedBptt
{
    /// <summary>
    /// Runs <paramref name="lstm"/> over <paramref name="input"/> (layout as the module's) in windows of <paramref name="k"/>
    /// steps from <paramref name="state"/> (zeros when null). <paramref name="lossOf"/>(windowOutput, firstStep) gives the
    /// window's loss, or null when the window has no target; each loss is backpropagated at once, so parameter gradients
    /// accumulate over the windows. Returns the summed loss and the final state (detached).
    /// </summary>
    public static (double Loss, (Tensor H, Tensor C) State) Backward(Lstm lstm, Tensor input, int k, Func<Tensor, int, Tensor?> lossOf,
        (Tensor H, Tensor C)? state = null)
    {
        double total = 0;
        foreach (var (window, start) in Windows("TruncatedBptt", input, k, lstm.BatchFirst))
        {
            var r = lstm.Forward(window, state);
            total += BackwardOne(lossOf(r.Output, start));
            state = (r.H.Detach(), r.C.Detach());                 // the cut: no gradient flows into earlier windows
        }
        return (total, state!.Value);
    }

    /// <summary>The same for a vanilla RNN or the hidden state of any module returning <see cref="RnnOutput"/> (e.g. <see cref="Gru"/>).</summary>
    public static (double Loss, Tensor State) Backward(Func<Tensor, Tensor?, RnnOutput> forward, bool batchFirst, Tensor input, int k,
        Func<Tensor, int, Tensor?> lossOf, Tensor? state = null)
    {
        double total = 0;
        foreach (var (window, start) in Windows("TruncatedBptt", input, k, batchFirst))
        {
            var r = forward(window, state);
            total += BackwardOne(lossOf(r.Output, start));
            state = r.H.Detach();
        }
        return (total, state!);
    }

    /// <summary>One training step with truncated BPTT: zero the gradients, <see cref="Backward(Lstm, Tensor, int, Func{Tensor, int, Tensor?}, ValueTuple{Tensor, Tensor}?)"/>, update. Returns the summed loss.</summary>
    public static double TrainStep(Lstm lstm, Optimizer optimizer, Tensor input, int k, Func<Tensor, int, Tensor?> lossOf)
    {
        using var scope = TensorScope.Begin();
        optimizer.ZeroGrad();
        var (loss, _) = Backward(lstm, input, k, lossOf);
        optimizer.Step();
        return loss;
    }

    static double BackwardOne(Tensor? loss)
    {
        if (loss is null) return 0;
        if (loss.Numel != 1) throw new ArgumentException($"TruncatedBptt: a window's loss must be a scalar, got shape {Shapes.Format(loss.shape)}");
        loss.Backward();
        return loss.Item();
    }

    static IEnumerable<(Tensor window, int start)> Windows(string op, Tensor input, int k, bool batchFirst)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), $"{op}: window length k must be at least 1, got {k}");
        if (input.Rank != 3) throw new ArgumentException($"{op}: input must be rank 3, got {Shapes.Format(input.shape)}");
        int timeDim = batchFirst ? 1 : 0, steps = input.Shape[timeDim];
        for (int start = 0; start < steps; start += k)
            yield return (input.Slice(timeDim, start, Math.Min(start + k, steps)), start);
    }
}
