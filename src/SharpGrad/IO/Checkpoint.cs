using System.Globalization;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.IO;

/// <summary>
/// Everything needed to continue training where it stopped: the model's parameters and buffers, the optimizer's
/// state (<see cref="Optimizer.SaveState"/>: hyperparameters, per-parameter buffers such as Adam's moments, step
/// counters), the number of finished epochs and the generator's state (so shuffling and dropout continue the same
/// random stream). Stored as one safetensors file: tensors under <c>model.</c> and <c>optimizer.</c>, numbers and
/// strings in the metadata. Saving is atomic, so an interrupted run leaves the previous checkpoint intact.
/// </summary>
public sealed class Checkpoint
{
    const string ModelPrefix = "model.", OptimizerPrefix = "optimizer.", UserPrefix = "user.";

    /// <summary>The model's state dict.</summary>
    public Dictionary<string, Tensor> Model { get; }
    /// <summary>The optimizer's state, as <see cref="Optimizer.SaveState"/> gives it.</summary>
    public OptimizerState Optimizer { get; }
    /// <summary>The optimizer's class name (e.g. Adam), checked when restoring.</summary>
    public string OptimizerType { get; }
    /// <summary>Epochs finished when it was written.</summary>
    public int Epoch { get; }
    /// <summary>The generator's state (<see cref="Generator.GetState"/>).</summary>
    public ulong[] GeneratorState { get; }
    /// <summary>Caller's strings, e.g. the model name and hyperparameters a run needs to rebuild itself.</summary>
    public Dictionary<string, string> Metadata { get; }

    /// <summary>Creates a checkpoint from its parts.</summary>
    public Checkpoint(Dictionary<string, Tensor> model, OptimizerState optimizer, string optimizerType, int epoch, ulong[] generatorState, Dictionary<string, string> metadata)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), $"Checkpoint: epoch must be ≥ 0, got {epoch}");
        (Model, Optimizer, OptimizerType, Epoch, GeneratorState, Metadata) = (model, optimizer, optimizerType, epoch, generatorState, metadata);
    }

    /// <summary>Captures the current state (tensors are copied, so later training does not change the checkpoint).</summary>
    public static Checkpoint Capture(Module model, Optimizer optimizer, int epoch, Generator generator, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(generator);
        Dictionary<string, Tensor> state;
        using (Autograd.NoGrad()) state = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Detach().Clone());
        return new Checkpoint(state, optimizer.SaveState(), optimizer.GetType().Name, epoch, generator.GetState(),
            metadata?.ToDictionary(kv => kv.Key, kv => kv.Value) ?? []);
    }

    /// <summary>Captures the state and writes it atomically to <paramref name="path"/>.</summary>
    public static void Save(string path, Module model, Optimizer optimizer, int epoch, Generator generator, IReadOnlyDictionary<string, string>? metadata = null)
        => Capture(model, optimizer, epoch, generator, metadata).Save(path);

    /// <summary>Writes this checkpoint atomically (temporary file, then rename).</summary>
    public void Save(string path)
    {
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (k, v) in Model) tensors[ModelPrefix + k] = v;
        foreach (var (k, v) in Optimizer.Tensors) tensors[OptimizerPrefix + k] = v;
        var meta = new Dictionary<string, string>
        {
            ["format"] = "sharpgrad-checkpoint-1",
            ["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
            ["optimizer_type"] = OptimizerType,
            ["generator"] = string.Join(",", GeneratorState.Select(w => w.ToString("x16", CultureInfo.InvariantCulture))),
        };
        // "R" round-trips every double exactly, so hyperparameters and step counters come back bit for bit.
        foreach (var (k, v) in Optimizer.Numbers) meta[OptimizerPrefix + k] = v.ToString("R", CultureInfo.InvariantCulture);
        foreach (var (k, v) in Metadata) meta[UserPrefix + k] = v;
        Safetensors.Save(path, tensors, meta);
    }

    /// <summary>Reads a checkpoint written by <see cref="Save(string)"/>.</summary>
    public static Checkpoint Load(string path)
    {
        var file = Safetensors.Load(path);
        var meta = file.Metadata;
        if (!meta.TryGetValue("format", out var format) || format != "sharpgrad-checkpoint-1")
            throw new SafetensorsFormatException($"Checkpoint '{path}': not a SharpGrad checkpoint (metadata 'format' is '{format ?? "missing"}', expected 'sharpgrad-checkpoint-1')");
        if (!meta.TryGetValue("epoch", out var epochText) || !int.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out int epoch))
            throw new SafetensorsFormatException($"Checkpoint '{path}': metadata 'epoch' is '{epochText ?? "missing"}', expected a non-negative integer");
        ulong[] generator;
        try
        {
            generator = meta["generator"].Split(',').Select(w => ulong.Parse(w, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or OverflowException)
        {
            throw new SafetensorsFormatException($"Checkpoint '{path}': metadata 'generator' is missing or not comma-separated hex words ({e.Message})");
        }
        Dictionary<string, Tensor> Strip(Dictionary<string, Tensor> d, string prefix) =>
            d.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        Dictionary<string, string> StripMeta(string prefix) =>
            meta.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        var numbers = new Dictionary<string, double>();
        foreach (var (k, v) in StripMeta(OptimizerPrefix))
            numbers[k] = double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x
                : throw new SafetensorsFormatException($"Checkpoint '{path}': optimizer value '{k}' is '{v}', not a number");
        return new Checkpoint(Strip(file.Tensors, ModelPrefix), new OptimizerState(Strip(file.Tensors, OptimizerPrefix), numbers),
            meta.GetValueOrDefault("optimizer_type", ""), epoch, generator, StripMeta(UserPrefix));
    }

    /// <summary>Puts the saved state back into a freshly built model, optimizer and generator.</summary>
    public void Restore(Module model, Optimizer optimizer, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(generator);
        if (OptimizerType != optimizer.GetType().Name)
            throw new ArgumentException($"Checkpoint: the optimizer state was saved from {OptimizerType}, cannot restore it into {optimizer.GetType().Name}");
        model.LoadStateDict(Model);
        optimizer.LoadState(Optimizer);
        generator.SetState(GeneratorState);
    }
}
