using SharpGrad.Cli.Bench;
using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// Issue 21's "every FLOP counted": the multiply-adds <c>sharpgrad bench</c> counts per step, against closed forms
/// written out layer by layer here (by hand, from each layer's shapes). Notation: B batch, a layer's forward count F;
/// its backward is F for the weight gradient plus F for the input gradient, except where the input is data.
/// </summary>
public sealed class BenchMultiplyAddsTests
{
    static long Step(string workload) => BenchWorkloads.All.Single(w => w.Key == workload).Build().MultiplyAddsPerStep;

    [Fact]
    public void LeNetIsCountedLayerByLayer()
    {
        // B = 64. conv1 6@5×5 on 1×28×28 (pad 2): 64·6·28·28 outputs × 1·5·5 = 7 526 400, no input gradient (data).
        // conv2 16@5×5 on 6×14×14: 64·16·10·10 outputs × 6·5·5 = 15 360 000. fc 400→120: 64·48 000 = 3 072 000;
        // 120→84: 64·10 080 = 645 120; 84→10: 64·840 = 53 760.
        var layers = MultiplyAdds.Count(() => BenchWorkloads.Inference("infer-lenet").Model.Call(Tensor.Zeros([64, 1, 28, 28])));
        Assert.Equal(["Conv2d", "Conv2d", "Linear", "Linear", "Linear"], layers.Select(l => l.Layer));
        Assert.Equal([7_526_400L, 15_360_000, 3_072_000, 645_120, 53_760], layers.Select(l => l.Forward));
        Assert.Equal([7_526_400L, 2 * 15_360_000, 2 * 3_072_000, 2 * 645_120, 2 * 53_760], layers.Select(l => l.Backward));
    }

    [Fact]
    public void LeNetTrainingStep()
    {
        // Forward 7 526 400 + 15 360 000 + 3 072 000 + 645 120 + 53 760 = 26 657 280; backward 7 526 400 + 2·(19 130 880) = 45 788 160.
        Assert.Equal(26_657_280L + 45_788_160, Step("lenet"));
    }

    [Fact]
    public void MlpTrainingStep()
    {
        // B = 64. 784→512: 64·401 408 = 25 690 112 (no input gradient); 512→512: 64·262 144 = 16 777 216; 512→10: 64·5 120 = 327 680.
        // Forward 42 795 008; backward 25 690 112 + 2·(16 777 216 + 327 680) = 59 899 904.
        Assert.Equal(42_795_008L + 59_899_904, Step("mlp"));
    }

    [Fact]
    public void LstmTrainingStep()
    {
        // T = 100, B = 32, H = 128, input 2: per step and sequence the gates are 4H·(2 + H): x part 4·128·2 = 1 024, h part
        // 4·128·128 = 65 536. Forward: 3 200·(1 024 + 65 536) = 212 992 000; the head 128→1 on the last step: 32·128 = 4 096.
        // Backward: dW_ih 3 200·1 024 = 3 276 800, dW_hh and dh_{t−1} 2·3 200·65 536 = 419 430 400, dx none (data);
        // the head 2·4 096 = 8 192.
        long forward = 212_992_000L + 4_096, backward = 3_276_800L + 419_430_400 + 8_192;
        Assert.Equal(forward + backward, Step("lstm"));
    }

    [Fact]
    public void TransformerTrainingStep()
    {
        // B = 32, L = 64, E = 128, 4 heads, feed-forward 512: 2 048 tokens. in_proj 2 048·3·128² = 100 663 296 (no input
        // gradient: data); QKᵀ and A·V 2·32·64·64·128 = 33 554 432 (backward: both operands, twice that); out_proj
        // 2 048·128² = 33 554 432; linear1 and linear2 2 048·128·512 = 134 217 728 each; head 128→1 on the mean: 32·128 = 4 096.
        long forward = 100_663_296L + 33_554_432 + 33_554_432 + 2 * 134_217_728 + 4_096;
        long backward = 100_663_296L + 2 * 33_554_432 + 2 * 33_554_432 + 2 * 2 * 134_217_728 + 2 * 4_096;
        Assert.Equal(forward + backward, Step("transformer"));
    }

    [Theory]
    // Forward only, per sample: lenet 7 526 400 + 15 360 000 + 3 072 000 + 645 120 + 53 760 over 64 = 416 520;
    // cnn 32@3×3 on 1×28×28: 32·784·9 = 225 792, 64@3×3 on 32×14×14: 64·196·288 = 3 612 672, 3 136→128: 401 408,
    // 128→10: 1 280, in all 4 241 152; mlp 401 408 + 262 144 + 5 120 = 668 672; lstm 100·66 560 + 128 = 6 656 128.
    [InlineData("infer_lenet", 416_520L)]
    [InlineData("infer_cnn", 4_241_152L)]
    [InlineData("infer_mlp", 668_672L)]
    [InlineData("infer_lstm", 6_656_128L)]
    public void InferenceCountsTheForwardPerSample(string key, long perSample)
    {
        Assert.Equal(perSample, Step(key + "_b1"));
        Assert.Equal(64 * perSample, Step(key + "_b64"));
    }

    [Fact]
    public void ALayerWithParametersAndNoRuleIsAnError()
    {
        // A GRU has weights but no rule: counting it as zero would overstate the share of the ceiling.
        var gru = new Gru(2, 4);
        var e = Assert.Throws<NotSupportedException>(() => MultiplyAdds.Count(() => gru.Call(Tensor.Zeros([3, 1, 2]))));
        Assert.Contains("GRU", e.Message, StringComparison.Ordinal);
    }
}
