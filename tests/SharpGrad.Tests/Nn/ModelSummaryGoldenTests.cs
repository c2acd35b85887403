using System.Text.Json;
using SharpGrad.Models;
using SharpGrad.Nn;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// <see cref="Module.Summary"/> against torchinfo's counts: the expected rows, totals and table come from forward hooks on the
/// same torch models applying torchinfo 1.8's rules (tools/golden/nn_summary.py; Debian has no torchinfo package).
/// </summary>
public class ModelSummaryGoldenTests
{
    [Theory]
    [InlineData("summary_lenet_1", "lenet")]
    [InlineData("summary_cnn_16", "cnn")]
    [InlineData("summary_transformer_5x2", "transformer")]
    [InlineData("summary_deep_5x2", "deep")]
    public void SummaryMatchesTorchinfosRowsTotalsAndTable(string caseName, string model)
    {
        var golden = GoldenFile.Load("nn_summary.json")[caseName];
        // The transformer is the script's nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0): its attention
        // is a container (out_proj is never called), so its parameters count as leftover and its mult-adds as none.
        var module = model switch
        {
            "transformer" => new TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0.0),
            "deep" => Deep(),
            _ => ModelZoo.Create(model, new Generator(0)),
        };
        var summary = module.Summary(golden.ArgInts("input_shape"));

        var rows = golden.Raw.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(rows.Length, summary.Layers.Count);
        for (int i = 0; i < rows.Length; i++)
        {
            var (expected, actual) = (rows[i], summary.Layers[i]);
            Assert.Equal(expected.GetProperty("name").GetString(), actual.Name);
            Assert.Equal(expected.GetProperty("depth").GetInt32(), actual.Depth);
            Assert.Equal(expected.GetProperty("index").GetInt32(), actual.DepthIndex);
            Assert.Equal(expected.GetProperty("output").EnumerateArray().Select(e => e.GetInt32()), actual.OutputShape);
            Assert.Equal(expected.GetProperty("params").GetInt64(), actual.Params);
            Assert.Equal(expected.GetProperty("mult_adds").GetInt64(), actual.MultAdds);
            Assert.Equal(expected.GetProperty("leaf").GetBoolean(), actual.IsLeaf);
        }
        var totals = golden.Raw.GetProperty("totals");
        long Total(string key) => totals.GetProperty(key).GetInt64();
        Assert.Equal(Total("total_params"), summary.TotalParams);
        Assert.Equal(Total("trainable_params"), summary.TrainableParams);
        Assert.Equal(Total("mult_adds"), summary.TotalMultAdds);
        Assert.Equal(Total("input_bytes"), summary.InputBytes);
        Assert.Equal(Total("forward_backward_bytes"), summary.ForwardBackwardBytes);
        Assert.Equal(Total("param_bytes"), summary.ParamBytes);
        Assert.Equal(golden.Text("table"), summary.ToString());
    }

    /// <summary>The script's deep(): rows down to depth 4 (hidden below 3), a frozen Linear, an LSTM last.</summary>
    static Sequential Deep()
    {
        var frozen = new Linear(8, 8);
        foreach (var p in frozen.Parameters()) p.RequiresGrad = false;
        return new Sequential(
            new Linear(8, 8),
            new Sequential(
                new Sequential(
                    new TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0.0),
                    new Sequential(new Linear(8, 8), new ReLU()),
                    new Sequential(new ReLU())),
                frozen),
            new Lstm(8, 4));
    }

    /// <summary>A leaf that multiplies by one parameter of the given name (torchinfo counts mult-adds by the name).</summary>
    sealed class Scale : Module
    {
        readonly Tensor factor;
        public Scale(string parameterName, int n) => factor = RegisterParameter(parameterName, Tensor.Ones([n]));
        public override Tensor Forward(Tensor input) => input * factor;
    }

    /// <summary>A leaf whose output is a scalar: its output shape prints as "--".</summary>
    sealed class Total : Module
    {
        public override Tensor Forward(Tensor input) => input.Sum();
    }

    [Fact]
    public void RankOneAndScalarOutputsFollowTorchinfosRules()
    {
        // torchinfo: a parameter named like weight_* counts numel × prod(output[:2]); a rank-1 output [3] has only
        // output[0], so the first Scale's 3 weights count 3 × 3 = 9; the second's parameter (gain) has neither name and counts none. A scalar
        // output has no shape: "--".
        var summary = new Sequential(new Scale("weight_s", 3), new Scale("gain", 3), new Total()).Summary(3);
        Assert.Equal(9, summary.Layers[1].MultAdds);
        Assert.Equal(0, summary.Layers[2].MultAdds);
        Assert.Equal(9, summary.TotalMultAdds);
        Assert.Empty(summary.Layers[3].OutputShape);
        string Line(string name, string shape, string parameters, string multAdds) =>
            (name.PadRight(40) + " " + shape.PadRight(25) + " " + parameters.PadRight(25) + " " + multAdds).TrimEnd();
        var lines = summary.ToString().Split('\n');
        Assert.Contains(Line("├─Scale: 1-1", "[3]", "3", "9"), lines);
        Assert.Contains(Line("├─Scale: 1-2", "[3]", "3", "--"), lines);
        Assert.Contains(Line("├─Total: 1-3", "--", "--", "--"), lines);
        Assert.Contains(Line("Sequential", "--", "--", "--"), lines);
    }

    [Fact]
    public void HiddenRowsWidenTheNameColumnToAMultipleOfFive()
    {
        // Seven Sequentials around a Linear: the longest name is "Linear: 7-1" at depth 7, 11 + 7·5 + 1 = 47 characters,
        // so the name column is 50 wide (torchinfo rounds up to a multiple of 5) although rows below depth 3 are not shown.
        Module model = new Linear(2, 2);
        for (int i = 0; i < 7; i++) model = new Sequential(model);
        var table = model.Summary(1, 2).ToString().Split('\n');
        Assert.Equal(50 + 3 * 25, table[0].Length);
        Assert.Equal(4, table.Count(l => l.Contains("Sequential", StringComparison.Ordinal)));   // depths 0 to 3
        Assert.DoesNotContain(table, l => l.Contains("Linear", StringComparison.Ordinal));
        // The depth-3 Sequential stands for the rows beneath it: the Linear's 6 parameters and 1 × 6 mult-adds.
        Assert.Contains(table, l => l.StartsWith("│    │    └─Sequential: 3-1", StringComparison.Ordinal) && l.EndsWith(" 6", StringComparison.Ordinal)
            && l.Contains(" 6 ", StringComparison.Ordinal));
    }

    [Fact]
    public void AContainersOwnParametersPrintWithThousandsSeparators()
    {
        // The attention of a TransformerEncoderLayer(32, 2) is a container whose out_proj is never called: its row holds
        // all its parameters as leftover, in_proj 3·32·32 + 3·32 and out_proj 32·32 + 32 = 4,224.
        var table = new TransformerEncoderLayer(32, 2, dimFeedforward: 16, dropout: 0.0).Summary(5, 2, 32).ToString().Split('\n');
        var attention = Assert.Single(table, l => l.StartsWith("├─MultiheadAttention: 1-1", StringComparison.Ordinal));
        Assert.Contains(" 4,224 ", attention, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1_234L, false, ": 1,234")]
    [InlineData(4_880L, true, " (M): 0.00")]
    [InlineData(2_000_000L, true, " (M): 2")]
    [InlineData(999_999_999L, true, " (M): 1,000.00")]
    [InlineData(1_000_000_000L, true, " (G): 1")]
    [InlineData(1_234_567_890L, true, " (G): 1.23")]
    [InlineData(1_000_000_000_000L, true, " (T): 1")]
    [InlineData(2_500_000_000_000L, true, " (T): 2.50")]
    [InlineData(2_000_000_000_000_000L, true, " (T): 2,000")]
    public void CountsPrintAsTorchinfosFormatOutputNum(long value, bool millions, string expected)
    {
        // torchinfo's format_output_num: parameters with thousands separators; mult-adds in M below 1e9, G from 1e9, T from
        // 1e12, two decimals, and (as the golden script's table) a whole number without them.
        Assert.Equal(expected, ModelSummary.Count(value, millions));
    }

    [Fact]
    public void NullArgumentsAreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => ModelSummary.Of(null!, [1, 2]));
        Assert.Throws<ArgumentNullException>(() => new Linear(2, 2).Summary(null!));
    }

    [Fact]
    public void LeNetCountsMatchTheClosedForm()
    {
        // By hand: conv1 (6·25 + 6)·28·28 = 122 304 and conv2 (16·150 + 16)·10·10 = 241 600 mult-adds per image; the
        // linears in·out + out: 48 120, 10 164, 850. Twice the batch doubles every count; parameters stay 61 706.
        var summary = LeNet.Create().Summary(2, 1, 28, 28);
        Assert.Equal(61_706, summary.TotalParams);
        Assert.Equal(2L * (122_304 + 241_600 + 48_120 + 10_164 + 850), summary.TotalMultAdds);
        Assert.Equal(new[] { 2, 10 }, summary.Layers[0].OutputShape);
    }

    [Fact]
    public void SummaryRunsInEvalModeWithoutAGraphAndRestoresTheMode()
    {
        var model = Cnn.Create(new Generator(1));
        var bn = (BatchNorm2d)((Sequential)model)[1];
        var before = bn.RunningMean!.ToArray();
        model.Summary(4, 1, 28, 28);
        Assert.True(model.Training);                              // restored
        Assert.Equal(before, bn.RunningMean!.ToArray());          // eval mode: the running statistics did not move
        Assert.Equal(0.0, bn.NumBatchesTracked!.Item());
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
        model.Eval();
        model.Summary(1, 1, 28, 28);
        Assert.False(model.Training);
    }

    [Fact]
    public void NestedAndSharedModulesFollowTorchinfosRules()
    {
        // Hand-checked against torchinfo's rules: an inner Sequential is a container row (no parameters of its own, "--"),
        // its layers sit at depth 2 with their own depth-idx counter, and a layer called twice counts its parameters once.
        var shared = new Linear(4, 4);
        var model = new Sequential(new Sequential(shared, new ReLU()), shared, new Linear(4, 2, bias: false));
        var summary = model.Summary(3, 4);
        Assert.Equal(["Sequential", "Sequential", "Linear", "ReLU", "Linear", "Linear"], summary.Layers.Select(l => l.Name));
        Assert.Equal([0, 1, 2, 2, 1, 1], summary.Layers.Select(l => l.Depth));
        Assert.Equal([1, 1, 1, 2, 2, 3], summary.Layers.Select(l => l.DepthIndex));
        Assert.True(summary.Layers[4].IsRecursive);
        Assert.Equal(20 + 8, summary.TotalParams);                              // 4·4 + 4 once, and 4·2
        Assert.Equal(3L * 20 + 3L * 20 + 3L * 8, summary.TotalMultAdds);          // the shared layer runs twice
        Assert.Contains("│    └─Linear: 2-1", summary.ToString(), StringComparison.Ordinal);
        Assert.Contains("(recursive)", summary.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BadInputShapesAreRefusedWithTheShape()
    {
        var model = LeNet.Create();
        var empty = Assert.Throws<ArgumentException>(() => model.Summary());
        Assert.Contains("Summary: the input shape []", empty.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.Summary(0, 1, 28, 28));
        // A shape the model cannot take fails in the layer, and the message says which input it was.
        var wrong = Assert.Throws<ArgumentException>(() => model.Summary(1, 3, 28, 28));
        Assert.Contains("[1, 3, 28, 28]", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("Conv2d", wrong.Message, StringComparison.Ordinal);
        Assert.True(model.Training);
    }
}
