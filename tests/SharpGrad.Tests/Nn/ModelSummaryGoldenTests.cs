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
    public void SummaryMatchesTorchinfosRowsTotalsAndTable(string caseName, string model)
    {
        var golden = GoldenFile.Load("nn_summary.json")[caseName];
        // The transformer is the script's nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0): its attention
        // is a container (out_proj is never called), so its parameters count as leftover and its mult-adds as none.
        var module = model == "transformer" ? new TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0.0) : ModelZoo.Create(model, new Generator(0));
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
