namespace SharpGrad.Nn;

/// <summary>
/// The forward hooks of <see cref="ModelSummary"/>: while one is current on this thread, every <see cref="Module.Call"/>
/// opens a row before its forward (pre-order, so a container comes before its layers) and fills in the output after.
/// </summary>
internal sealed class SummaryRecorder : IDisposable
{
    [ThreadStatic] static SummaryRecorder? current;

    readonly SummaryRecorder? outer;
    readonly Stack<int> open = new();
    readonly HashSet<Module> seen = new(ReferenceEqualityComparer.Instance);

    /// <summary>The rows in call order.</summary>
    public List<Row> Rows { get; } = [];

    /// <summary>The recorder of this thread, or null outside <see cref="ModelSummary.Of"/>.</summary>
    public static SummaryRecorder? Current => current;

    SummaryRecorder()
    {
        outer = current;
        current = this;
    }

    /// <summary>Starts recording on this thread until disposed.</summary>
    public static SummaryRecorder Begin() => new();

    /// <summary>Opens <paramref name="module"/>'s row at the current depth; a module called twice is marked recursive, as torchinfo does.</summary>
    public int Enter(Module module)
    {
        Rows.Add(new Row(module, open.Count, Recursive: !seen.Add(module)));
        open.Push(Rows.Count - 1);
        return Rows.Count - 1;
    }

    /// <summary>
    /// Runs a sub-module's forward of another signature (attention's query, key, value) so that a summary sees it as it
    /// sees <see cref="Module.Call"/>; <paramref name="output"/> picks the tensor whose shape the row shows.
    /// </summary>
    public static T Run<T>(Module module, Func<T> forward, Func<T, Tensor> output)
    {
        if (current is not { } recorder) return forward();
        int row = recorder.Enter(module);
        var result = forward();
        recorder.Exit(row, output(result));
        return result;
    }

    /// <summary>Closes row <paramref name="row"/> with the module's output.</summary>
    public void Exit(int row, Tensor output)
    {
        open.Pop();
        Rows[row] = Rows[row] with { OutputShape = [.. output.Shape], OutputBytes = (long)output.Numel * output.DType.ElementSize() };
    }

    /// <inheritdoc/>
    public void Dispose() => current = outer;

    /// <summary>One call of one module: its depth under the root (0), the output it gave.</summary>
    internal sealed record Row(Module Module, int Depth, bool Recursive)
    {
        /// <summary>The output's shape (empty until the call returns).</summary>
        public int[] OutputShape { get; init; } = [];
        /// <summary>The output's size in bytes.</summary>
        public long OutputBytes { get; init; }
    }
}
