namespace SharpGrad;

/// <summary>
/// How many threads SharpGrad's kernels may use. Defaults to every core, or to the environment
/// variable <c>SHARPGRAD_THREADS</c> when it is set. Results are deterministic for a given count.
/// </summary>
public static class Threads
{
    const string EnvironmentVariable = "SHARPGRAD_THREADS";

    // 0 until first read: parsing the environment in a static initializer would turn a bad value into a
    // TypeInitializationException that poisons the type for the rest of the process.
    static volatile int count;

    /// <summary>The most threads one kernel call runs on (at least 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    /// <exception cref="InvalidOperationException">Read while <c>SHARPGRAD_THREADS</c> holds something other than a count.</exception>
    public static int Count
    {
        get
        {
            int c = count;
            if (c == 0) count = c = Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));
            return c;
        }
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(value), value,
                    $"Threads.Count must be at least 1, got {value}.");
            count = value;
        }
    }

    /// <summary>
    /// The message for an invalid <c>SHARPGRAD_THREADS</c>, or null when it is unset or a valid count: programs call
    /// it at start-up to report a bad setting in one line before any work starts.
    /// </summary>
    public static string? EnvironmentError()
    {
        try
        {
            Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));
            return null;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
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
