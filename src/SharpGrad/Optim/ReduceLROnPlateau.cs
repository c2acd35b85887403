using System.Globalization;

namespace SharpGrad.Optim;

// torch.optim.lr_scheduler.ReduceLROnPlateau: after each epoch, step(metric):
//   better(a, best) = mode min: a < best(1 − θ) (rel) or a < best − θ (abs); mode max: a > best(1 + θ) or a > best + θ
//   a better metric resets the bad-epoch count, a worse one adds to it; in cooldown bad epochs are not counted;
//   more than `patience` bad epochs in a row: α ← max(α·factor, min_lr) (if that moves α by more than eps), then cooldown.

/// <summary>
/// Lowers every group's rate by <see cref="Factor"/> when a metric (say, the validation loss) has stopped improving for
/// more than <see cref="Patience"/> epochs, as <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c>. Unlike the
/// <see cref="LrScheduler"/>s it has no closed form: the rate follows the metrics it is given.
/// </summary>
public sealed class ReduceLROnPlateau
{
    /// <summary>Watches a metric for <paramref name="optimizer"/>; the rates start at the optimizer's.</summary>
    /// <param name="optimizer">The optimizer whose groups' rates are lowered.</param>
    /// <param name="mode">"min" (lower is better, e.g. a loss) or "max" (e.g. an accuracy).</param>
    /// <param name="factor">The rate is multiplied by this, in [0, 1).</param>
    /// <param name="patience">Bad epochs tolerated before lowering the rate (≥ 0).</param>
    /// <param name="threshold">θ, how much better a metric must be to count as better (≥ 0).</param>
    /// <param name="thresholdMode">"rel" (θ is a fraction of the best) or "abs".</param>
    /// <param name="cooldown">Epochs after a reduction in which bad epochs are not counted (≥ 0).</param>
    /// <param name="minLr">The rate is never lowered below this (≥ 0).</param>
    /// <param name="eps">A reduction smaller than this is skipped.</param>
    public ReduceLROnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1, int patience = 10, double threshold = 1e-4,
        string thresholdMode = "rel", int cooldown = 0, double minLr = 0, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (mode is not ("min" or "max")) throw new ArgumentException($"ReduceLROnPlateau: mode must be 'min' or 'max', got '{mode}'", nameof(mode));
        if (thresholdMode is not ("rel" or "abs")) throw new ArgumentException($"ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got '{thresholdMode}'", nameof(thresholdMode));
        if (!(factor >= 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), $"ReduceLROnPlateau: factor must be in [0, 1), got {factor}");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), $"ReduceLROnPlateau: patience must be >= 0, got {patience}");
        if (!(threshold >= 0 && double.IsFinite(threshold))) throw new ArgumentOutOfRangeException(nameof(threshold), $"ReduceLROnPlateau: threshold must be a number >= 0, got {threshold}");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), $"ReduceLROnPlateau: cooldown must be >= 0, got {cooldown}");
        if (!(minLr >= 0 && double.IsFinite(minLr))) throw new ArgumentOutOfRangeException(nameof(minLr), $"ReduceLROnPlateau: minLr must be a number >= 0, got {minLr}");
        (Optimizer, Mode, Factor, Patience, Threshold, ThresholdMode, Cooldown, MinLr, Eps) = (optimizer, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        Best = mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>The optimizer whose rates this lowers.</summary>
    public Optimizer Optimizer { get; }
    /// <summary>"min" or "max".</summary>
    public string Mode { get; }
    /// <summary>The factor a reduction multiplies the rate by.</summary>
    public double Factor { get; }
    /// <summary>Bad epochs tolerated.</summary>
    public int Patience { get; }
    /// <summary>θ.</summary>
    public double Threshold { get; }
    /// <summary>"rel" or "abs".</summary>
    public string ThresholdMode { get; }
    /// <summary>Epochs of cooldown after a reduction.</summary>
    public int Cooldown { get; }
    /// <summary>The lowest rate.</summary>
    public double MinLr { get; }
    /// <summary>Smallest reduction applied.</summary>
    public double Eps { get; }

    /// <summary>The best metric so far (±∞ before the first step).</summary>
    public double Best { get; private set; }
    /// <summary>Consecutive epochs without improvement (torch's <c>num_bad_epochs</c>).</summary>
    public int NumBadEpochs { get; private set; }
    /// <summary>Cooldown epochs left.</summary>
    public int CooldownCounter { get; private set; }
    /// <summary>Number of <see cref="Step"/> calls (torch's <c>last_epoch</c>).</summary>
    public int Epoch { get; private set; }

    /// <summary>The rate each group has now.</summary>
    public IReadOnlyList<double> LastLr => Optimizer.ParamGroups.Select(g => g.Lr).ToArray();

    /// <summary>Whether <paramref name="metric"/> counts as better than the best so far.</summary>
    public bool IsBetter(double metric) => (Mode, ThresholdMode) switch
    {
        ("min", "rel") => metric < Best * (1 - Threshold),
        ("min", _) => metric < Best - Threshold,
        (_, "rel") => metric > Best * (1 + Threshold),
        _ => metric > Best + Threshold,
    };

    /// <summary>Records one epoch's metric and lowers the rates if it has not improved for more than <see cref="Patience"/> epochs.</summary>
    public void Step(double metric)
    {
        Epoch++;
        if (IsBetter(metric))
        {
            Best = metric;
            NumBadEpochs = 0;
        }
        else NumBadEpochs++;
        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            NumBadEpochs = 0;   // bad epochs in cooldown are ignored
        }
        if (NumBadEpochs > Patience)
        {
            foreach (var group in Optimizer.ParamGroups)
            {
                double lowered = Math.Max(group.Lr * Factor, MinLr);
                if (group.Lr - lowered > Eps) group.Lr = lowered;
            }
            CooldownCounter = Cooldown;
            NumBadEpochs = 0;
        }
    }

    /// <summary>The watcher's position as numbers, for checkpoints: "best", "num_bad_epochs", "cooldown_counter", "last_epoch" (the rates live in the optimizer's state).</summary>
    public IReadOnlyDictionary<string, double> SaveState() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["best"] = Best, ["num_bad_epochs"] = NumBadEpochs, ["cooldown_counter"] = CooldownCounter, ["last_epoch"] = Epoch,
    };

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    public void LoadState(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        int Count(string key) => state.TryGetValue(key, out var v) && v >= 0 && v == Math.Floor(v) && v <= int.MaxValue ? (int)v
            : throw new ArgumentException($"ReduceLROnPlateau.LoadState: '{key}' is {(state.ContainsKey(key) ? state[key].ToString(CultureInfo.InvariantCulture) : "missing")}, expected an integer >= 0");
        if (!state.TryGetValue("best", out var best) || double.IsNaN(best))
            throw new ArgumentException("ReduceLROnPlateau.LoadState: 'best' is missing or NaN");
        (NumBadEpochs, CooldownCounter, Epoch, Best) = (Count("num_bad_epochs"), Count("cooldown_counter"), Count("last_epoch"), best);
    }
}
