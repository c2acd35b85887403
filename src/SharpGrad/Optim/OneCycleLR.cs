namespace SharpGrad.Optim;

// The 1cycle policy (Smith and Topin 2018), as torch.optim.lr_scheduler.OneCycleLR with two phases:
//   α₀ = max_lr/div_factor, α_min = α₀/final_div_factor, P = pct_start·T − 1 (a real number),
//   t ≤ P:  α_t = anneal(α₀, max_lr, t/P)
//   t > P:  α_t = anneal(max_lr, α_min, (t − P)/(T − 1 − P))
//   anneal_cos(a, b, p) = b + (a − b)(1 + cos πp)/2,   anneal_linear(a, b, p) = a + (b − a)p

/// <summary>
/// The one-cycle schedule, stepped once per batch: warms the rate up from max_lr/div_factor to max_lr over the first
/// <see cref="PctStart"/> of <see cref="TotalSteps"/> steps, then anneals it to max_lr/(div_factor·final_div_factor).
/// Like torch's with <c>cycle_momentum=False</c> and <c>three_phase=False</c>: momentum is not cycled. The optimizer's
/// own rate is ignored (torch overrides it too); every group gets the same max_lr.
/// </summary>
public sealed class OneCycleLR : LrScheduler
{
    /// <summary>Sets the rate of step 0, max_lr/div_factor.</summary>
    /// <param name="optimizer">The optimizer whose groups' rates are set.</param>
    /// <param name="maxLr">The peak rate.</param>
    /// <param name="totalSteps">T, the number of steps of the cycle (≥ 1); <see cref="LrScheduler.Step"/> may be called T times.</param>
    /// <param name="pctStart">Share of the cycle spent warming up, in [0, 1].</param>
    /// <param name="annealStrategy">"cos" or "linear".</param>
    /// <param name="divFactor">max_lr / initial rate.</param>
    /// <param name="finalDivFactor">initial rate / final rate.</param>
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart = 0.3, string annealStrategy = "cos",
        double divFactor = 25, double finalDivFactor = 1e4) : base(optimizer)
    {
        if (!(maxLr > 0 && double.IsFinite(maxLr))) throw new ArgumentOutOfRangeException(nameof(maxLr), $"OneCycleLR: maxLr must be a positive number, got {maxLr}");
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), $"OneCycleLR: totalSteps must be >= 1, got {totalSteps}");
        if (!(pctStart >= 0 && pctStart <= 1)) throw new ArgumentOutOfRangeException(nameof(pctStart), $"OneCycleLR: pctStart must be in [0, 1], got {pctStart}");
        if (annealStrategy is not ("cos" or "linear")) throw new ArgumentException($"OneCycleLR: annealStrategy must be 'cos' or 'linear', got '{annealStrategy}'", nameof(annealStrategy));
        if (!(divFactor > 0 && double.IsFinite(divFactor))) throw new ArgumentOutOfRangeException(nameof(divFactor), $"OneCycleLR: divFactor must be a positive number, got {divFactor}");
        if (!(finalDivFactor > 0 && double.IsFinite(finalDivFactor))) throw new ArgumentOutOfRangeException(nameof(finalDivFactor), $"OneCycleLR: finalDivFactor must be a positive number, got {finalDivFactor}");
        (MaxLr, TotalSteps, PctStart, AnnealStrategy, DivFactor, FinalDivFactor) = (maxLr, totalSteps, pctStart, annealStrategy, divFactor, finalDivFactor);
        Apply();
    }

    /// <summary>The peak rate.</summary>
    public double MaxLr { get; }
    /// <summary>T, the steps of the cycle.</summary>
    public int TotalSteps { get; }
    /// <summary>Share of the cycle spent warming up.</summary>
    public double PctStart { get; }
    /// <summary>"cos" or "linear".</summary>
    public string AnnealStrategy { get; }
    /// <summary>max_lr / initial rate.</summary>
    public double DivFactor { get; }
    /// <summary>initial rate / final rate.</summary>
    public double FinalDivFactor { get; }

    /// <summary>The rate at step <paramref name="epoch"/>; <paramref name="baseLr"/> is not used (the cycle is set by max_lr).</summary>
    public override double LrAt(double baseLr, int epoch)
    {
        if (epoch > TotalSteps)
            throw new InvalidOperationException($"OneCycleLR: step {epoch} is past the cycle's {TotalSteps} steps");
        double initial = MaxLr / DivFactor, final = initial / FinalDivFactor;
        double warmEnd = PctStart * TotalSteps - 1, last = TotalSteps - 1;
        // torch's phase test: the warm-up holds while t ≤ P; a cycle with P < 0 starts annealing at once.
        return epoch <= warmEnd
            ? Anneal(initial, MaxLr, epoch == 0 ? 0 : epoch / warmEnd)   // P = 0 would make step 0 a 0/0
            : Anneal(MaxLr, final, (epoch - warmEnd) / (last - warmEnd));
    }

    double Anneal(double start, double end, double pct) =>
        AnnealStrategy == "cos" ? end + (start - end) / 2 * (Math.Cos(Math.PI * pct) + 1) : (end - start) * pct + start;
}
