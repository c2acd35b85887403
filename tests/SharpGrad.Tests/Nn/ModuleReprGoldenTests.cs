using SharpGrad.Models;
using SharpGrad.Nn;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// <see cref="Module.ToString"/> against PyTorch's <c>repr(module)</c>: every expected string is what Debian's torch 1.13 printed
/// for the same layer built with the same arguments (tools/golden/nn_summary.py, Golden/nn_summary.json).
/// </summary>
public class ModuleReprGoldenTests
{
    // The SharpGrad twin of each torch module in the script's LAYERS list, under the same case name.
    static readonly Dictionary<string, Func<Module>> Layers = new()
    {
        ["relu"] = () => new ReLU(), ["leaky_relu"] = () => new LeakyReLU(0.2), ["sigmoid"] = () => new Sigmoid(), ["tanh"] = () => new Tanh(),
        ["elu"] = () => new ELU(), ["celu"] = () => new CELU(0.5), ["selu"] = () => new SELU(), ["gelu_tanh"] = () => new GELU(GeluApproximate.Tanh),
        ["silu"] = () => new SiLU(), ["mish"] = () => new Mish(), ["softsign"] = () => new Softsign(),
        ["softplus"] = () => new Softplus(2.0, 10.0),
        ["hardtanh"] = () => new Hardtanh(), ["relu6"] = () => new ReLU6(), ["hardsigmoid"] = () => new Hardsigmoid(), ["hardswish"] = () => new Hardswish(),
        ["threshold"] = () => new Threshold(0.1, 20.0), ["glu"] = () => new GLU(), ["softmax"] = () => new Softmax(1),
        ["log_softmax"] = () => new LogSoftmax(-1), ["softmin"] = () => new Softmin(0), ["prelu"] = () => new PReLU(3),
        ["identity"] = () => new Identity(), ["flatten"] = () => new Flatten(), ["unflatten"] = () => new Unflatten(1, [2, 5]),
        ["linear_no_bias"] = () => new Linear(4, 3, bias: false), ["dropout"] = () => new Dropout(0.25),
        ["conv1d"] = () => new Conv1d(2, 4, 3, stride: 2, padding: 1, bias: false),
        ["conv2d_dilated"] = () => new Conv2d(3, 8, 3, padding: 1, dilation: 2),
        ["conv2d_groups"] = () => new Conv2d(4, 8, (3, 5), stride: (2, 1), groups: 2),
        ["conv3d"] = () => new Conv3d(1, 2, 3),
        ["conv_transpose1d"] = () => new ConvTranspose1d(4, 2, 3, stride: 2, outputPadding: 1),
        ["conv_transpose2d"] = () => new ConvTranspose2d(4, 2, 3, stride: 2, padding: 1, outputPadding: 1, bias: false),
        ["max_pool1d"] = () => new MaxPool1d(3, stride: 2, padding: 1), ["max_pool2d"] = () => new MaxPool2d(2),
        ["max_pool2d_rect"] = () => new MaxPool2d((2, 3), stride: 1, ceilMode: true), ["max_pool3d"] = () => new MaxPool3d(2),
        ["avg_pool1d"] = () => new AvgPool1d(2), ["avg_pool2d"] = () => new AvgPool2d(3, stride: 2, padding: 1), ["avg_pool3d"] = () => new AvgPool3d(2),
        ["adaptive_avg_pool1d"] = () => new AdaptiveAvgPool1d(4), ["adaptive_avg_pool2d"] = () => new AdaptiveAvgPool2d(1),
        ["adaptive_avg_pool2d_rect"] = () => new AdaptiveAvgPool2d((2, 3)), ["adaptive_avg_pool3d"] = () => new AdaptiveAvgPool3d(2),
        ["adaptive_max_pool2d"] = () => new AdaptiveMaxPool2d((3, 4)),
        ["batch_norm1d"] = () => new BatchNorm1d(16),
        ["batch_norm2d_cumulative"] = () => new BatchNorm2d(8, eps: 1e-3, momentum: null, affine: false),
        ["batch_norm3d_no_stats"] = () => new BatchNorm3d(4, trackRunningStats: false),
        ["instance_norm2d"] = () => new InstanceNorm2d(3, affine: true, trackRunningStats: true),
        ["layer_norm"] = () => new LayerNorm(8), ["layer_norm_2d"] = () => new LayerNorm([4, 5], eps: 1e-6, elementwiseAffine: false),
        ["group_norm"] = () => new GroupNorm(2, 4),
        ["embedding"] = () => new Embedding(10, 3, paddingIdx: -1),
        ["embedding_max_norm"] = () => new Embedding(10, 3, maxNorm: 1.0, normType: 1.0),
        ["embedding_bag"] = () => new EmbeddingBag(10, 3, mode: EmbeddingBagMode.Sum, paddingIdx: 2),
        ["zero_pad2d"] = () => new ZeroPad2d(1), ["constant_pad1d"] = () => new ConstantPad1d([1, 2], 3.5),
        ["reflection_pad2d"] = () => new ReflectionPad2d([1, 0, 2, 1]), ["replication_pad1d"] = () => new ReplicationPad1d(2),
        ["pixel_shuffle"] = () => new PixelShuffle(2), ["pixel_unshuffle"] = () => new PixelUnshuffle(3),
        ["upsample_nearest"] = () => new Upsample(scaleFactor: [2]), ["upsample_bilinear"] = () => new Upsample(size: [4, 6], mode: InterpolateMode.Linear),
        ["upsample_trilinear"] = () => new Upsample(size: [2, 3, 4], mode: InterpolateMode.Linear),
        ["upsample_scale_pair"] = () => new Upsample(scaleFactor: [2, 3], mode: InterpolateMode.Linear), ["upsample_size"] = () => new Upsample(size: [5]),
        ["constant_pad2d"] = () => new ConstantPad2d([1, 0, 2, 1], -1.5), ["zero_pad2d_rect"] = () => new ZeroPad2d([1, 0, 2, 1]),
        ["replication_pad2d"] = () => new ReplicationPad2d(1), ["reflection_pad1d"] = () => new ReflectionPad1d([0, 3]),
        ["avg_pool1d_strided"] = () => new AvgPool1d(3, stride: 2, padding: 1),
        ["avg_pool2d_rect"] = () => new AvgPool2d((1, 2), stride: (2, 1), padding: (0, 1)),
        ["avg_pool3d_rect"] = () => new AvgPool3d((1, 2, 3), stride: (2, 1, 1), padding: (0, 1, 0)),
        ["max_pool1d_dilated"] = () => new MaxPool1d(2, dilation: 3, ceilMode: true),
        ["max_pool2d_dilated"] = () => new MaxPool2d((1, 2), stride: (2, 1), padding: (0, 1), dilation: (1, 2)),
        ["max_pool3d_rect"] = () => new MaxPool3d((1, 2, 3), stride: (2, 1, 1), padding: (0, 1, 0), dilation: (1, 2, 1), ceilMode: true),
        ["adaptive_avg_pool3d_rect"] = () => new AdaptiveAvgPool3d((1, 2, 3)), ["adaptive_max_pool2d_square"] = () => new AdaptiveMaxPool2d(5),
        ["instance_norm2d_plain"] = () => new InstanceNorm2d(4, eps: 1e-3, momentum: 0.5),
        ["group_norm_no_affine"] = () => new GroupNorm(3, 6, eps: 1e-4, affine: false),
        ["batch_norm2d_no_stats"] = () => new BatchNorm2d(3, eps: 1e-3, momentum: 0.3, affine: false, trackRunningStats: false),
        ["layer_norm_affine_2d"] = () => new LayerNorm([2, 3], eps: 0.01), ["unflatten_last"] = () => new Unflatten(-1, [2, -1]),
        ["conv1d_groups"] = () => new Conv1d(2, 4, 3, padding: 1, dilation: 2, groups: 2),
        ["conv3d_rect"] = () => new Conv3d(2, 4, (1, 2, 3), stride: (1, 2, 1), padding: (0, 1, 0), dilation: (2, 1, 1), groups: 2, bias: false),
        ["conv_transpose1d_dilated"] = () => new ConvTranspose1d(2, 4, 3, dilation: 2),
        ["conv_transpose3d_rect"] = () => new ConvTranspose3d(2, 4, (1, 2, 3), stride: (1, 2, 1), padding: (0, 1, 0), outputPadding: (0, 1, 0),
            groups: 2, bias: false, dilation: (2, 1, 1)),
        ["rnn_tanh"] = () => new SharpGrad.Nn.Rnn(4, 8), ["rnn_no_bias"] = () => new SharpGrad.Nn.Rnn(4, 8, bias: false),
        ["lstm_stacked_batch_first"] = () => new Lstm(3, 5, numLayers: 2, batchFirst: true),
        ["gru_no_bias_batch_first"] = () => new Gru(3, 5, bias: false, batchFirst: true),
        ["rnn_cell_no_bias"] = () => new RnnCell(4, 8, bias: false), ["lstm_cell_bias"] = () => new LstmCell(4, 8), ["gru_cell_no_bias"] = () => new GruCell(3, 5, bias: false),
        ["embedding_pad0_max_norm"] = () => new Embedding(10, 3, paddingIdx: 0, maxNorm: 2.0),
        ["embedding_bag_mean_norm"] = () => new EmbeddingBag(10, 3, maxNorm: 1.5, normType: 3.0),
        ["gelu"] = () => new GELU(), ["leaky_relu_default"] = () => new LeakyReLU(), ["hardtanh_bounds"] = () => new Hardtanh(-2.0, 3.0),
        ["elu_alpha"] = () => new ELU(0.5), ["flatten_range"] = () => new Flatten(0, 2),
        ["rnn"] = () => new SharpGrad.Nn.Rnn(4, 8, numLayers: 2, nonlinearity: RnnNonlinearity.ReLU, batchFirst: true), ["lstm"] = () => new Lstm(4, 8, bias: false),
        ["gru"] = () => new Gru(3, 5, numLayers: 3),
        ["rnn_cell"] = () => new RnnCell(4, 8, nonlinearity: RnnNonlinearity.ReLU), ["lstm_cell"] = () => new LstmCell(4, 8, bias: false), ["gru_cell"] = () => new GruCell(3, 5),
        ["multihead_attention"] = () => new MultiheadAttention(8, 2),
        ["transformer_encoder_layer"] = () => new TransformerEncoderLayer(8, 2, dimFeedforward: 16, dropout: 0.0),
        ["lenet"] = () => LeNet.Create(), ["cnn"] = () => Cnn.Create(),
    };

    public static TheoryData<string> Cases => GoldenFile.CaseNames("nn_summary.json", "repr");

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToStringPrintsWhatPyTorchPrints(string name)
    {
        var golden = GoldenFile.Load("nn_summary.json")[name];
        Assert.True(Layers.TryGetValue(name, out var build), $"no SharpGrad layer for golden case '{name}'");
        Assert.Equal(golden.Text("repr"), build!().ToString());
    }

    [Fact]
    public void EveryGoldenCaseHasALayerAndEveryLayerACase()
    {
        // A layer added to the script but not here (or the reverse) would otherwise go untested silently.
        var names = GoldenFile.Load("nn_summary.json").WithOp("repr").Select(c => c.Name).ToHashSet();
        Assert.Equal(names.Order(), Layers.Keys.Order());
    }

    [Fact]
    public void ModulesOutsideTorchNnPrintTheirClassAndSettings()
    {
        // Maxout and Step have no PyTorch twin: their reprs follow the same wording, written here by hand.
        Assert.Equal("Maxout(in_features=4, out_features=3, pieces=2)", new Maxout(4, 3, 2).ToString());
        Assert.Equal("Step(value_at_zero=0.5)", new Step(0.5).ToString());
        // An empty Sequential has neither settings nor children: PyTorch prints "Sequential()".
        Assert.Equal("Sequential()", new Sequential().ToString());
    }
}
