namespace SharpGrad;

/// <summary>
/// How many threads SharpGrad's kernels may use. Defaults to every core, or to the environment
/// variable <c>SHARPGRAD_THREADS</c> when it is set. Results are deterministic for a given count.
/// </summary>
public static class Threads
{
    const string EnvironmentVariable = "SHARPGRAD_THREADS";

    static volatile int count = Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The most threads one kernel call runs on (at least 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public static int Count
    {
        get => count;
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(value), value,
                    $"Threads.Count must be at least 1, got {value}.");
            count = value;
        }
    }

    /// <summary>The count a <c>SHARPGRAD_THREADS</c> value asks for (unset or blank: every core).</summary>
    /// <exception cref="InvalidOperationException">Not an integer of at least 1.</exception>
    internal static int Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Environment.ProcessorCount;
        if (!int.TryParse(text, out int parsed) || parsed < 1)
            throw new InvalidOperationException(
                $"{EnvironmentVariable}='{text}' is not a thread count: expected an integer of at least 1.");
        return parsed;
    }
}
