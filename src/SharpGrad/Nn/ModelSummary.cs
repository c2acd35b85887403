using System.Globalization;
using System.Text;

namespace SharpGrad.Nn;

/// <summary>
/// What <see cref="Module.Summary"/> measured in one forward pass: each layer's output shape, parameters and multiply-adds,
/// and the totals, counted and printed as torchinfo 1.8's <c>summary(model, input_size, col_names=("output_size",
/// "num_params", "mult_adds"))</c> does. Layers are seen when called through <see cref="Module.Call"/> (as <see cref="Sequential"/> does).
/// </summary>
public sealed class ModelSummary
{
    // torchinfo's defaults: 25-character columns, a name column of at least 40, rows down to depth 3.
    const int ColumnWidth = 25, MinNameWidth = 40, MaxDepth = 3;

    /// <summary>The rows, in call order (a container before its layers).</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }
    /// <summary>The input's shape, batch included.</summary>
    public IReadOnlyList<int> InputShape { get; }
    /// <summary>Parameters of the model (shared ones once).</summary>
    public long TotalParams { get; }
    /// <summary>Parameters that require grad.</summary>
    public long TrainableParams { get; }
    /// <summary>Parameters that do not.</summary>
    public long NonTrainableParams => TotalParams - TrainableParams;
    /// <summary>Multiply-adds of one forward pass over the whole batch: the sum over leaf layers.</summary>
    public long TotalMultAdds { get; }
    /// <summary>Bytes of the input.</summary>
    public long InputBytes { get; }
    /// <summary>Bytes of the outputs of the layers with parameters, twice (torchinfo's "forward/backward pass size": activations and their gradients).</summary>
    public long ForwardBackwardBytes { get; }
    /// <summary>Bytes of the parameters.</summary>
    public long ParamBytes { get; }
    /// <summary>Input, forward/backward pass and parameters together.</summary>
    public long EstimatedTotalBytes => InputBytes + ForwardBackwardBytes + ParamBytes;

    ModelSummary(IReadOnlyList<LayerSummary> layers, IReadOnlyList<int> inputShape, long totalParams, long trainableParams, long multAdds,
        long inputBytes, long forwardBackwardBytes, long paramBytes)
    {
        (Layers, InputShape, TotalParams, TrainableParams, TotalMultAdds) = (layers, inputShape, totalParams, trainableParams, multAdds);
        (InputBytes, ForwardBackwardBytes, ParamBytes) = (inputBytes, forwardBackwardBytes, paramBytes);
    }

    internal static ModelSummary Of(Module model, int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d <= 0))
            throw new ArgumentException($"Summary: the input shape {Shapes.Format(inputShape)} must have at least one dimension, each positive (batch first)");
        var dtype = model.Parameters().Select(p => p.DType).DefaultIfEmpty(DType.Float32).First();
        bool wasTraining = model.Training;
        List<SummaryRecorder.Row> rows;
        model.Eval();
        try
        {
            using var scope = TensorScope.Begin();
            using var recorder = SummaryRecorder.Begin();
            using (Autograd.NoGrad())
                try
                {
                    model.Call(Tensor.Zeros(inputShape, dtype));
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"Summary: the forward pass of input {Shapes.Format(inputShape)} failed: {e.Message}", e);
                }
            rows = recorder.Rows;
        }
        finally
        {
            model.Train(wasTraining);
        }
        return Build(rows, [.. inputShape], (long)Shapes.Numel(inputShape) * dtype.ElementSize());
    }

    static ModelSummary Build(List<SummaryRecorder.Row> rows, int[] inputShape, long inputBytes)
    {
        var layers = new List<LayerSummary>(rows.Count);
        var indexAtDepth = new Dictionary<int, int>();
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            // A tensor shared by two layers counts once, as in torch's named_parameters().
            var parameters = row.Module.NamedParameters().DistinctBy(p => (object)p.Value, ReferenceEqualityComparer.Instance).ToList();
            indexAtDepth[row.Depth] = indexAtDepth.GetValueOrDefault(row.Depth) + 1;
            bool leaf = !row.Module.NamedChildren().Any();   // torchinfo's leaf: a module without sub-modules
            layers.Add(new LayerSummary(row.Module.ReprName, row.Depth, indexAtDepth[row.Depth], row.OutputShape,
                parameters.Sum(p => (long)p.Value.Numel), parameters.Where(p => p.Value.RequiresGrad).Sum(p => (long)p.Value.Numel),
                leaf ? MultAdds(row.Module.ReprName, parameters, row.OutputShape) : 0, leaf, row.Recursive));
        }
        long total = 0, trainable = 0, macs = 0, outputBytes = 0, paramBytes = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer.IsLeaf)
            {
                macs += layer.MultAdds;
                if (layer.Params > 0) outputBytes += 2 * rows[i].OutputBytes;   // the output and its gradient
                if (layer.IsRecursive) continue;
                total += layer.Params;
                trainable += layer.TrainableParams;
                paramBytes += rows[i].Module.Parameters().Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>().Sum(p => (long)p.Numel * p.DType.ElementSize());
            }
            else if (!layer.IsRecursive)
            {
                total += Leftover(layers, i, l => l.Params);
                trainable += Leftover(layers, i, l => l.TrainableParams);
            }
        }
        return new ModelSummary(layers, inputShape, total, trainable, macs, inputBytes, outputBytes, paramBytes);
    }

    /// <summary>
    /// torchinfo's multiply-adds of one layer: a parameter named weight or bias counts once per output position of a
    /// convolution (batch × spatial), once per example otherwise (a Linear's in·out + out per example, a BatchNorm's 2C);
    /// a recurrent layer's weight_ih_l0, bias_hh_l0 … count once per (first two output dims), i.e. per step and example.
    /// </summary>
    static long MultAdds(string name, List<KeyValuePair<string, Tensor>> parameters, int[] output)
    {
        long Dim(int d) => d < output.Length ? output[d] : 1;
        long spatial = 1;
        for (int d = 2; d < output.Length; d++) spatial *= output[d];
        long macs = 0;
        foreach (var (parameterName, p) in parameters)
        {
            if (parameterName is "weight" or "bias")
                macs += p.Numel * (name.Contains("Conv", StringComparison.Ordinal) ? Dim(0) * spatial : Dim(0));
            else if (parameterName.Contains("weight", StringComparison.Ordinal) || parameterName.Contains("bias", StringComparison.Ordinal))
                macs += p.Numel * Dim(0) * Dim(1);
        }
        return macs;
    }

    // What a container holds beyond the rows beneath it: torchinfo's leftover_params, over all its descendants' rows.
    static long Leftover(IReadOnlyList<LayerSummary> layers, int index, Func<LayerSummary, long> count)
    {
        long beneath = 0;
        for (int j = index + 1; j < layers.Count && layers[j].Depth > layers[index].Depth; j++)
            if (!layers[j].IsRecursive) beneath += layers[j].IsLeaf ? count(layers[j]) : Leftover(layers, j, count);
        return count(layers[index]) - beneath;
    }

    /// <summary>The table torchinfo prints: one row per layer (name: depth-index, output shape, parameters, multiply-adds), then the totals and sizes in MB.</summary>
    public override string ToString()
    {
        var shown = Enumerable.Range(0, Layers.Count).Where(i => Layers[i].Depth <= MaxDepth).ToList();
        int nameWidth = MinNameWidth;
        int longest = Layers.Select(l => RowName(l).Length + l.Depth * 5 + 1).DefaultIfEmpty(0).Max();
        if (longest >= nameWidth) nameWidth = (longest + 4) / 5 * 5;
        string divider = new('=', 3 * ColumnWidth + nameWidth);
        var text = new StringBuilder();
        string Row(string name, params string[] columns) =>
            (name.PadRight(nameWidth) + " " + string.Concat(columns.Select(c => c.PadRight(ColumnWidth) + " "))).TrimEnd() + "\n";
        text.Append(divider).Append('\n');
        text.Append(Row("Layer (type:depth-idx)", "Output Shape", "Param #", "Mult-Adds")).Append(divider).Append('\n');
        foreach (int i in shown)
        {
            var layer = Layers[i];
            bool atMaxDepth = layer.Depth == MaxDepth;
            string indent = layer.Depth switch { 0 => "", 1 => "├─", _ => string.Concat(Enumerable.Repeat("│    ", layer.Depth - 1)) + "└─" };
            string shape = layer.OutputShape.Count == 0 ? "--" : "[" + string.Join(", ", layer.OutputShape) + "]";
            text.Append(Row(indent + RowName(layer), shape, ParamsCell(i, atMaxDepth), MultAddsCell(i, atMaxDepth)));
        }
        text.Append(divider).Append('\n');
        text.Append("Total params").Append(Count(TotalParams, millions: false)).Append('\n');
        text.Append("Trainable params").Append(Count(TrainableParams, millions: false)).Append('\n');
        text.Append("Non-trainable params").Append(Count(NonTrainableParams, millions: false)).Append('\n');
        text.Append("Total mult-adds").Append(Count(TotalMultAdds, millions: true)).Append('\n').Append(divider).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Input size (MB): {InputBytes / 1e6:F2}\n");
        text.Append(CultureInfo.InvariantCulture, $"Forward/backward pass size (MB): {ForwardBackwardBytes / 1e6:F2}\n");
        text.Append(CultureInfo.InvariantCulture, $"Params size (MB): {ParamBytes / 1e6:F2}\n");
        text.Append(CultureInfo.InvariantCulture, $"Estimated Total Size (MB): {EstimatedTotalBytes / 1e6:F2}\n");
        return text.Append(divider).ToString();
    }

    static string RowName(LayerSummary layer) =>
        layer.Depth == 0 ? layer.Name : string.Create(CultureInfo.InvariantCulture, $"{layer.Name}: {layer.Depth}-{layer.DepthIndex}");

    string ParamsCell(int index, bool atMaxDepth)
    {
        var layer = Layers[index];
        if (layer.Params == 0) return "--";
        if (layer.IsRecursive) return "(recursive)";
        if (atMaxDepth || layer.IsLeaf)
        {
            string n = layer.Params.ToString("N0", CultureInfo.InvariantCulture);
            return layer.TrainableParams > 0 ? n : $"({n})";
        }
        long leftover = Leftover(Layers, index, l => l.Params);
        return leftover > 0 ? leftover.ToString("N0", CultureInfo.InvariantCulture) : "--";
    }

    string MultAddsCell(int index, bool atMaxDepth)
    {
        var layer = Layers[index];
        if (layer.IsLeaf) return layer.MultAdds > 0 ? layer.MultAdds.ToString("N0", CultureInfo.InvariantCulture) : "--";
        if (!atMaxDepth) return "--";
        // A container at the deepest shown level stands for its layers: the sum of the leaf rows beneath it.
        long sum = 0;
        for (int j = index + 1; j < Layers.Count && Layers[j].Depth > layer.Depth; j++)
            if (Layers[j].IsLeaf) sum += Layers[j].MultAdds;
        return sum > 0 ? sum.ToString("N0", CultureInfo.InvariantCulture) : "--";
    }

    // torchinfo's format_output_num: parameters as an integer; multiply-adds in millions (billions, trillions when larger), 2 decimals unless whole.
    internal static string Count(long value, bool millions)
    {
        if (!millions) return ": " + value.ToString("N0", CultureInfo.InvariantCulture);
        var (unit, scale) = value >= 1e12 ? ("T", 1e12) : value >= 1e9 ? ("G", 1e9) : ("M", 1e6);
        double scaled = value / scale;
        string number = scaled == Math.Floor(scaled) ? ((long)scaled).ToString("N0", CultureInfo.InvariantCulture) : scaled.ToString("N2", CultureInfo.InvariantCulture);
        return $" ({unit}): {number}";
    }
}
