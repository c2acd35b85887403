using System.Buffers.Binary;
using System.Globalization;
using AssemblyInformationalVersionAttribute = System.Reflection.AssemblyInformationalVersionAttribute;
using CustomAttributeExtensions = System.Reflection.CustomAttributeExtensions;
using System.Security.Cryptography;
using System.Text;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.IO;

/// <summary>
/// Everything needed to continue training where it stopped: the model's parameters and buffers, the optimizer's
/// state (<see cref="Optimizer.SaveState"/>: hyperparameters, per-parameter buffers such as Adam's moments, step
/// counters), the number of finished epochs and the generator's state (so shuffling and dropout continue the same
/// random stream). Stored as one safetensors file: tensors under <c>model.</c> and <c>optimizer.</c>, numbers and
/// strings in the metadata. Saving is atomic, so an interrupted run leaves the previous checkpoint intact. The file
/// records the thread count and library version that wrote it and a SHA-256 checksum of its tensors and metadata,
/// which <see cref="Load"/> verifies.
/// </summary>
public sealed class Checkpoint
{
    const string ModelPrefix = "model.", OptimizerPrefix = "optimizer.", UserPrefix = "user.";
    const string Format = "sharpgrad-checkpoint-2", LegacyFormat = "sharpgrad-checkpoint-1";

    /// <summary>The version of this library, as checkpoints record it.</summary>
    public static string LibraryVersion { get; } =
        CustomAttributeExtensions.GetCustomAttribute<AssemblyInformationalVersionAttribute>(typeof(Checkpoint).Assembly)?.InformationalVersion.Split('+')[0] ?? "unknown";

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
    /// <summary>
    /// <see cref="SharpGrad.Threads.Count"/> when it was written (null for files from before it was recorded): kernels
    /// split sums by thread, so another count gives other rounding and, after training on, other weights.
    /// </summary>
    public int? Threads { get; private init; } = SharpGrad.Threads.Count;
    /// <summary>The <see cref="LibraryVersion"/> that wrote it (null for files from before it was recorded).</summary>
    public string? Version { get; private init; } = LibraryVersion;

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
            ["format"] = Format,
            ["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
            ["optimizer_type"] = OptimizerType,
            ["generator"] = string.Join(",", GeneratorState.Select(w => w.ToString("x16", CultureInfo.InvariantCulture))),
            ["threads"] = (Threads ?? SharpGrad.Threads.Count).ToString(CultureInfo.InvariantCulture),
            ["library_version"] = Version ?? LibraryVersion,
        };
        // "R" round-trips every double exactly, so hyperparameters and step counters come back bit for bit.
        foreach (var (k, v) in Optimizer.Numbers) meta[OptimizerPrefix + k] = v.ToString("R", CultureInfo.InvariantCulture);
        foreach (var (k, v) in Metadata) meta[UserPrefix + k] = v;
        meta["checksum"] = Checksum(Safetensors.Serialize(tensors, meta), meta);
        string full = System.IO.Path.GetFullPath(path);
        AtomicFile.RemoveStaleTemporaries(full);
        Safetensors.Save(full, tensors, meta);
    }

    /// <summary>
    /// SHA-256 over the data section of <paramref name="file"/> and every metadata entry but the checksum itself,
    /// sorted by key, as hex: a flipped bit in any weight, counter or hyperparameter changes it.
    /// </summary>
    static string Checksum(byte[] file, IReadOnlyDictionary<string, string> meta)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long dataStart = 8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        sha.AppendData(file.AsSpan((int)dataStart));
        foreach (var (k, v) in meta.Where(kv => kv.Key != "checksum").OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(k));
            sha.AppendData([0]);
            sha.AppendData(Encoding.UTF8.GetBytes(v));
            sha.AppendData([0]);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// Reads a checkpoint written by <see cref="Save(string)"/> and verifies its checksum. A file that is not a valid
    /// checkpoint throws <see cref="CheckpointFormatException"/> only, naming the file and the field.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a valid checkpoint.</exception>
    public static Checkpoint Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint: file '{path}' does not exist", path);
        return Deserialize(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses checkpoint bytes; <paramref name="name"/> names them in errors. See <see cref="Load"/>.</summary>
    /// <exception cref="CheckpointFormatException">The bytes are not a valid checkpoint.</exception>
    public static Checkpoint Deserialize(byte[] bytes, string name = "<bytes>")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        SafetensorsFile file;
        try
        {
            file = Safetensors.Deserialize(bytes, name);
        }
        catch (SafetensorsFormatException e)
        {
            throw new CheckpointFormatException($"Checkpoint '{name}': {e.Message}", e);
        }
        var meta = file.Metadata;
        CheckpointFormatException Bad(string field, string? value, string expected) =>
            new($"Checkpoint '{name}': metadata '{field}' is {(value is null ? "missing" : $"'{value}'")}, expected {expected}");
        meta.TryGetValue("format", out var format);
        if (format is not (Format or LegacyFormat))
            throw new CheckpointFormatException($"Checkpoint '{name}': not a SharpGrad checkpoint: metadata 'format' is {(format is null ? "missing" : $"'{format}'")}, expected '{Format}'");
        if (format == Format)
        {
            if (!meta.TryGetValue("checksum", out var recorded) || recorded != Checksum(bytes, meta))
                throw new CheckpointFormatException($"Checkpoint '{name}': the checksum {(recorded is null ? "is missing" : $"{recorded} does not match the contents")}: the file was changed or damaged after it was written");
        }
        if (!meta.TryGetValue("epoch", out var epochText) || !int.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out int epoch))
            throw Bad("epoch", epochText, "a non-negative integer");
        int? threads = null;
        if (meta.TryGetValue("threads", out var threadsText))
            threads = int.TryParse(threadsText, NumberStyles.None, CultureInfo.InvariantCulture, out int t) && t >= 1 ? t : throw Bad("threads", threadsText, "an integer of at least 1");
        meta.TryGetValue("generator", out var generatorText);
        var words = generatorText?.Split(',') ?? [];
        var generator = new ulong[words.Length];
        for (int i = 0; i < words.Length; i++)
            if (words[i].Length is 0 or > 16 || !ulong.TryParse(words[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out generator[i]))
                throw Bad("generator", generatorText, "6 comma-separated hex words");
        if (generator.Length != 6) throw Bad("generator", generatorText, "6 comma-separated hex words");
        Dictionary<string, Tensor> Strip(Dictionary<string, Tensor> d, string prefix) =>
            d.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        Dictionary<string, string> StripMeta(string prefix) =>
            meta.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        var numbers = new Dictionary<string, double>();
        foreach (var (k, v) in StripMeta(OptimizerPrefix))
            numbers[k] = double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : throw Bad(OptimizerPrefix + k, v, "a number");
        return new Checkpoint(Strip(file.Tensors, ModelPrefix), new OptimizerState(Strip(file.Tensors, OptimizerPrefix), numbers),
            meta.GetValueOrDefault("optimizer_type", ""), epoch, generator, StripMeta(UserPrefix))
        {
            Threads = threads,
            Version = meta.GetValueOrDefault("library_version"),
        };
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
