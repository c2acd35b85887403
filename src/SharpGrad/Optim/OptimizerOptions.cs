namespace SharpGrad.Optim;

/// <summary>
/// An optimizer's hyperparameters for one parameter group, typed: each optimizer has its record (<see cref="AdamOptions"/>,
/// <see cref="SgdOptions"/>, …) and a group may carry its own (<c>defaults with { Lr = 1e-2 }</c>). Checkpoints store
/// the numbers under PyTorch's names ("lr", "momentum", "weight_decay", …).
/// </summary>
/// <param name="Lr">Learning rate α (schedules change it).</param>
public record OptimizerOptions(double Lr)
{
    /// <summary>The numeric hyperparameters by PyTorch's name, as checkpoints store them.</summary>
    public virtual IEnumerable<(string Name, double Value)> ByName()
    {
        yield return ("lr", Lr);
    }

    /// <summary>These options with hyperparameter <paramref name="name"/> (a name of <see cref="ByName"/>) set, or null when it names none.</summary>
    public virtual OptimizerOptions? WithValue(string name, double value) => name == "lr" ? this with { Lr = value } : null;

    /// <summary>Throws, naming <paramref name="optimizer"/> and the hyperparameter, when a value is out of its range.</summary>
    public virtual void Validate(string optimizer)
    {
        if (Lr < 0 || double.IsNaN(Lr)) throw new ArgumentOutOfRangeException(nameof(Lr), $"{optimizer}: invalid learning rate {Lr}");
    }
}
