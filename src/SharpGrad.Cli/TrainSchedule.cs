using System.Globalization;
using SharpGrad.Optim;

namespace SharpGrad.Cli;

/// <summary>
/// The learning rate of <c>sharpgrad train</c> at each step. step, cosine and onecycle are closed forms of (epoch,
/// batch) and the run's planned total, so a resumed run trains each step at the rate it would have had, and a run
/// extended by --epochs follows the schedule of the new total. plateau follows the scored loss; its watcher's state
/// is kept in the checkpoint (the rate itself is in the optimizer's state).
/// </summary>
sealed class TrainSchedule
{
    readonly Optimizer optimizer;
    readonly double lr;
    readonly int batchesPerEpoch;
    readonly LrScheduler? closedForm;
    readonly bool perStep;

    /// <summary>The plateau watcher (null for the other schedules).</summary>
    public ReduceLROnPlateau? Plateau { get; }

    public TrainSchedule(ScheduleConfig s, Optimizer optimizer, double lr, int totalEpochs, int batchesPerEpoch)
    {
        (this.optimizer, this.lr, this.batchesPerEpoch) = (optimizer, lr, batchesPerEpoch);
        // The library's schedulers set the optimizer's rate when built; BeforeBatch sets it again before every step.
        closedForm = s.Name switch
        {
            "step" => new StepLR(optimizer, s.StepSize, s.Gamma),
            "cosine" => new CosineAnnealingLR(optimizer, totalEpochs, s.MinLr),
            // torch cycles the momentum (or Adam's β₁) by default, and refuses an optimizer without one: Adagrad's rate alone cycles.
            "onecycle" => new OneCycleLR(optimizer, lr, totalEpochs * batchesPerEpoch, s.PctStart, s.Anneal, s.DivFactor, s.FinalDivFactor,
                cycleMomentum: optimizer is not Adagrad),
            _ => null,
        };
        perStep = s.Name == "onecycle";
        if (s.Name == "plateau")
            Plateau = new ReduceLROnPlateau(optimizer, "min", s.PlateauFactor, s.PlateauPatience, s.PlateauThreshold, "rel", s.Cooldown, s.MinLr);
    }

    /// <summary>
    /// Puts the closed-form schedule at epoch <paramref name="epoch"/> (from 1), batch <paramref name="batch"/> (from 0),
    /// which sets the rate (and onecycle's momentum) for the step about to be taken; none and plateau keep the optimizer's.
    /// </summary>
    public void BeforeBatch(int epoch, int batch)
    {
        if (closedForm is null) return;
        var position = new Dictionary<string, double>(StringComparer.Ordinal) { ["last_epoch"] = perStep ? (epoch - 1) * batchesPerEpoch + batch : epoch - 1 };
        for (int g = 0; g < optimizer.ParamGroups.Count; g++) position[$"base_lrs.{g}"] = lr;
        closedForm.LoadState(position);
    }

    /// <summary>Whether the rate changes within an epoch (onecycle), so it must be set before every batch.</summary>
    public bool PerStep => perStep;

    /// <summary>Plateau: records the epoch's scored loss, which may lower the rate of the epochs after.</summary>
    public void AfterEpoch(double scoredLoss) => Plateau?.Step(scoredLoss);

    /// <summary>The watcher's state as metadata entries "plateau.{key}" (none for the closed forms).</summary>
    public void SaveTo(IDictionary<string, string> metadata)
    {
        if (Plateau is null) return;
        foreach (var (k, v) in Plateau.SaveState()) metadata["plateau." + k] = v.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Restores what <see cref="SaveTo"/> wrote; a plateau run's checkpoint without it is refused by the caller's file check.</summary>
    public void LoadFrom(IReadOnlyDictionary<string, string> metadata)
    {
        if (Plateau is null) return;
        var state = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, v) in metadata)
            if (k.StartsWith("plateau.", StringComparison.Ordinal))
                state[k["plateau.".Length..]] = double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x
                    : throw new ArgumentException($"metadata '{k}' is '{v}', expected a number");
        Plateau.LoadState(state);
    }
}
