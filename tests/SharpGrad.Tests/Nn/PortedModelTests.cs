using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>The README's "Porting a PyTorch model" section, line for line: it builds, trains a step and exports its state dict.</summary>
public class PortedModelTests
{
    // The README's C# side; keep the two in step.
    static (Sequential Model, TransformerEncoderLayer Encoder, CrossEntropyLoss LossFn) Build() =>
    (
        new Sequential(
            new Conv2d(1, 16, 3, padding: 1), new GroupNorm(4, 16), new GELU(),
            new MaxPool2d(2),
            new ConvTranspose2d(16, 8, 2, stride: 2), new SiLU(),
            new Flatten(), new Linear(8 * 28 * 28, 10)),
        new TransformerEncoderLayer(128, 4, dimFeedforward: 512, dropout: 0, batchFirst: true, normFirst: true),
        new CrossEntropyLoss(labelSmoothing: 0.1)
    );

    [Fact]
    public void ThePortedModelTrainsAStep_AndHasTorchsStateDictNames()
    {
        var (model, encoder, lossFn) = Build();
        var x = Tensor.Randn([4, 1, 28, 28], new Generator(1));
        var y = Tensor.FromArray([3.0, 1, 4, 1], [4], DType.Float32);
        var opt = new Adam(model.Parameters(), lr: 1e-3);
        var logits = model.Forward(x);
        Assert.Equal([4, 10], logits.Shape);   // MaxPool halves 28 to 14, ConvTranspose2d(k 2, stride 2) doubles it back
        var before = lossFn.Forward(logits, y).Item();
        for (int step = 0; step < 5; step++)
        {
            var loss = lossFn.Forward(model.Forward(x), y);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
        }
        Assert.True(lossFn.Forward(model.Forward(x), y).Item() < before);   // five Adam steps on one batch lower its loss

        // torch.nn.Sequential numbers its children; these are the keys torch's state_dict() gives for the same model.
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias", "7.weight", "7.bias"], model.StateDict().Keys);
        Assert.Contains("self_attn.in_proj_weight", encoder.StateDict().Keys);
        Assert.Equal([2, 64, 128], encoder.Forward(Tensor.Randn([2, 64, 128], new Generator(2))).Shape);
    }
}
