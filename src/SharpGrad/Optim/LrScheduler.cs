namespace SharpGrad.Optim;

/// <summary>
/// Base of the learning-rate schedules, like <c>torch.optim.lr_scheduler</c>: remembers each group's starting rate
/// α₀ and sets group g's rate to <see cref="LrAt"/>(α₀, t) at epoch t. Construction applies epoch 0;
/// call <see cref="Step"/> once per epoch (or per iteration), after <c>optimizer.Step()</c>.
/// </summary>
public abstract class LrScheduler
{
    private readonly double[] _baseLrs;

    /// <summary>Records the optimizer's current rates as the base rates α₀.</summary>
    protected LrScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer;
        _baseLrs = optimizer.ParamGroups.Select(g => g.Lr).ToArray();
    }

    /// <summary>The optimizer whose rates this sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Each group's base rate α₀.</summary>
    public IReadOnlyList<double> BaseLrs => _baseLrs;

    /// <summary>t, the number of <see cref="Step"/> calls so far (torch's <c>last_epoch</c>).</summary>
    public int Epoch { get; private set; }

    /// <summary>The rate each group has now.</summary>
    public IReadOnlyList<double> LastLr => Optimizer.ParamGroups.Select(g => g.Lr).ToArray();

    /// <summary>The rate at epoch <paramref name="epoch"/> for a group whose base rate is <paramref name="baseLr"/> (the closed form).</summary>
    public abstract double LrAt(double baseLr, int epoch);

    /// <summary>Advances one epoch and sets every group's rate.</summary>
    public void Step()
    {
        Epoch++;
        Apply();
    }

    /// <summary>The schedule's position as numbers, for checkpoints: "last_epoch" and "base_lrs.{g}".</summary>
    public IReadOnlyDictionary<string, double> SaveState()
    {
        var state = new Dictionary<string, double>(StringComparer.Ordinal) { ["last_epoch"] = Epoch };
        for (int g = 0; g < _baseLrs.Length; g++) state[$"base_lrs.{g}"] = _baseLrs[g];
        return state;
    }

    /// <summary>Restores what <see cref="SaveState"/> wrote and sets every group's rate for that epoch.</summary>
    public void LoadState(IReadOnlyDictionary<string, double> state)
    {
        string me = GetType().Name;
        if (!state.TryGetValue("last_epoch", out var epoch) || epoch < 0 || epoch != Math.Floor(epoch))
            throw new ArgumentException($"{me}.LoadState: no valid 'last_epoch'");
        var baseLrs = new double[_baseLrs.Length];
        for (int g = 0; g < baseLrs.Length; g++)
            if (!state.TryGetValue($"base_lrs.{g}", out baseLrs[g]))
                throw new ArgumentException($"{me}.LoadState: no 'base_lrs.{g}'; the optimizer has {baseLrs.Length} groups");
        if (state.Count != baseLrs.Length + 1)
            throw new ArgumentException($"{me}.LoadState: {state.Count - 1} base rates saved, the optimizer has {baseLrs.Length} groups");
        baseLrs.CopyTo(_baseLrs, 0);
        Epoch = (int)epoch;
        Apply();
    }

    /// <summary>Sets every group's rate for the current epoch; subclasses call it at the end of their constructor.</summary>
    protected void Apply()
    {
        for (int g = 0; g < _baseLrs.Length; g++) Optimizer.ParamGroups[g].Lr = LrAt(_baseLrs[g], Epoch);
        OnApplied(Epoch);
    }

    /// <summary>Called after the rates of <paramref name="epoch"/> are set, for schedules that set more (OneCycleLR's momentum).</summary>
    protected virtual void OnApplied(int epoch) { }
}
