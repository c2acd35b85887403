namespace SharpGrad.Optim;

// The 1cycle policy (Smith and Topin 2018), as torch.optim.lr_scheduler.OneCycleLR with two phases:
//   α₀ = max_lr/div_factor, α_min = α₀/final_div_factor, P = pct_start·T − 1 (a real number),
//   t ≤ P:  α_t = anneal(α₀, max_lr, t/P)
//   t > P:  α_t = anneal(max_lr, α_min, (t − P)/(T − 1 − P))
//   anneal_cos(a, b, p) = b + (a − b)(1 + cos πp)/2,   anneal_linear(a, b, p) = a + (b − a)p
// With cycle_momentum the momentum (SGD, RMSprop) or Adam's β₁ moves the other way in the same phases:
//   t ≤ P: anneal(max_m, base_m, t/P),   t > P: anneal(base_m, max_m, (t − P)/(T − 1 − P))

/// <summary>
/// The one-cycle schedule, stepped once per batch: warms the rate up from max_lr/div_factor to max_lr over the first
/// <see cref="PctStart"/> of <see cref="TotalSteps"/> steps, then anneals it to max_lr/(div_factor·final_div_factor).
/// With <c>cycleMomentum</c> (torch's default) the momentum, or Adam's β₁, moves from max to base momentum and back.
/// Like torch's with <c>three_phase=False</c>. The optimizer's own rate is ignored (torch overrides it too); every
/// group gets the same max_lr.
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
    /// <param name="cycleMomentum">Also cycle each group's "momentum" or "beta1" (an optimizer with neither is refused, as torch refuses it).</param>
    /// <param name="baseMomentum">The momentum at the peak rate.</param>
    /// <param name="maxMomentum">The momentum at the start and the end.</param>
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart = 0.3, string annealStrategy = "cos",
        double divFactor = 25, double finalDivFactor = 1e4, bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95) : base(optimizer)
    {
        if (!(maxLr > 0 && double.IsFinite(maxLr))) throw new ArgumentOutOfRangeException(nameof(maxLr), $"OneCycleLR: maxLr must be a positive number, got {maxLr}");
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), $"OneCycleLR: totalSteps must be >= 1, got {totalSteps}");
        if (!(pctStart >= 0 && pctStart <= 1)) throw new ArgumentOutOfRangeException(nameof(pctStart), $"OneCycleLR: pctStart must be in [0, 1], got {pctStart}");
        if (annealStrategy is not ("cos" or "linear")) throw new ArgumentException($"OneCycleLR: annealStrategy must be 'cos' or 'linear', got '{annealStrategy}'", nameof(annealStrategy));
        if (!(divFactor > 0 && double.IsFinite(divFactor))) throw new ArgumentOutOfRangeException(nameof(divFactor), $"OneCycleLR: divFactor must be a positive number, got {divFactor}");
        if (!(finalDivFactor > 0 && double.IsFinite(finalDivFactor))) throw new ArgumentOutOfRangeException(nameof(finalDivFactor), $"OneCycleLR: finalDivFactor must be a positive number, got {finalDivFactor}");
        (MaxLr, TotalSteps, PctStart, AnnealStrategy, DivFactor, FinalDivFactor) = (maxLr, totalSteps, pctStart, annealStrategy, divFactor, finalDivFactor);
        if (cycleMomentum)
        {
            _momentumKeys = optimizer.ParamGroups.Select(g => g.UntypedOptions.ByName().Select(p => p.Name).FirstOrDefault(n => n is "momentum" or "beta1")
                ?? throw new ArgumentException($"OneCycleLR: cycleMomentum needs an optimizer with momentum or beta1; {optimizer.GetType().Name} has neither (pass cycleMomentum: false)", nameof(cycleMomentum))).ToArray();
            (BaseMomentum, MaxMomentum) = (baseMomentum, maxMomentum);
        }
        Apply();
    }

    readonly string[]? _momentumKeys;

    /// <summary>Whether the momentum (or β₁) is cycled.</summary>
    public bool CycleMomentum => _momentumKeys is not null;
    /// <summary>The momentum at the peak rate.</summary>
    public double BaseMomentum { get; }
    /// <summary>The momentum at the start and the end.</summary>
    public double MaxMomentum { get; }

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
        double initial = MaxLr / DivFactor, final = initial / FinalDivFactor;
        var (warm, pct) = Phase(epoch);
        return warm ? Anneal(initial, MaxLr, pct) : Anneal(MaxLr, final, pct);
    }

    /// <summary>The momentum (or β₁) at step <paramref name="step"/> when <see cref="CycleMomentum"/>: max → base while warming up, base → max after.</summary>
    public double MomentumAt(int step)
    {
        var (warm, pct) = Phase(step);
        return warm ? Anneal(MaxMomentum, BaseMomentum, pct) : Anneal(BaseMomentum, MaxMomentum, pct);
    }

    // torch's phase test: the warm-up holds while t ≤ P; a cycle with P < 0 starts annealing at once.
    (bool Warm, double Pct) Phase(int step)
    {
        if (step > TotalSteps)
            throw new InvalidOperationException($"OneCycleLR: step {step} is past the cycle's {TotalSteps} steps");
        double warmEnd = PctStart * TotalSteps - 1, last = TotalSteps - 1;
        return step <= warmEnd ? (true, step == 0 ? 0 : step / warmEnd)   // P = 0 would make step 0 a 0/0
            : (false, (step - warmEnd) / (last - warmEnd));
    }

    /// <inheritdoc/>
    protected override void OnApplied(int epoch)
    {
        if (_momentumKeys is null) return;
        double momentum = MomentumAt(epoch);
        for (int g = 0; g < _momentumKeys.Length; g++)
        {
            var group = Optimizer.ParamGroups[g];
            group.UntypedOptions = group.UntypedOptions.WithValue(_momentumKeys[g], momentum)!;
        }
    }

    double Anneal(double start, double end, double pct) =>
        AnnealStrategy == "cos" ? end + (start - end) / 2 * (Math.Cos(Math.PI * pct) + 1) : (end - start) * pct + start;
}
