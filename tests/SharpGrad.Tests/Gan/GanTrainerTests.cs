using SharpGrad.Data;
using SharpGrad.Gan;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Gan;

public class GanTrainerTests
{
    static GanTrainer Trainer(ulong seed, GanMethod method, int pack = 1)
    {
        var random = new Generator(seed);
        var ring = GaussianMixture2D.Ring8();
        var g = GanMlp.Create(2, 16, 2, 2, random);
        var d = GanMlp.Create(2 * pack, 16, 2, 1, random);
        return new GanTrainer(g, d, new Sgd(g.Parameters(), 0.01), new Sgd(d.Parameters(), 0.01), method.CreateLoss(),
            (n, r) => ring.Sample(n, r), random, new GanTrainerOptions { BatchSize = 32, CriticSteps = method.CriticSteps(), Pack = pack });
    }

    [Fact]
    public void SameSeedSameRun()
    {
        var a = Trainer(3, GanMethod.WganGp);
        var b = Trainer(3, GanMethod.WganGp);
        for (int i = 0; i < 3; i++) Assert.Equal(a.Step(), b.Step());
        Assert.Equal(a.Sample(10).ToArray(), b.Sample(10).ToArray());
        Assert.NotEqual(a.Sample(10).ToArray(), Trainer(4, GanMethod.WganGp).Sample(10).ToArray());
    }

    [Fact]
    public void StepUpdatesBothNetworksAndLeavesDiscriminatorTrainable()
    {
        var t = Trainer(1, GanMethod.NonSaturating);
        var g0 = t.GeneratorNet.Parameters().SelectMany(p => p.ToArray()).ToArray();
        var d0 = t.Discriminator.Parameters().SelectMany(p => p.ToArray()).ToArray();
        t.Step();
        Assert.NotEqual(g0, t.GeneratorNet.Parameters().SelectMany(p => p.ToArray()).ToArray());
        Assert.NotEqual(d0, t.Discriminator.Parameters().SelectMany(p => p.ToArray()).ToArray());
        Assert.All(t.Discriminator.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.Equal(1, t.StepsDone);
    }

    [Fact]
    public void PackedDiscriminatorSeesMSamplesPerRow()
    {
        // D built for 4 packed 2-D samples (8 inputs) trains; the same D without packing is rejected by its first layer.
        var t = Trainer(2, GanMethod.PacGan, pack: 4);
        var losses = t.Step();
        Assert.True(double.IsFinite(losses.Discriminator) && double.IsFinite(losses.Generator));
        var random = new Generator(2);
        var ring = GaussianMixture2D.Ring8();
        var g = GanMlp.Create(2, 16, 2, 2, random);
        var d = GanMlp.Create(8, 16, 2, 1, random);
        var unpacked = new GanTrainer(g, d, new Sgd(g.Parameters(), 0.01), new Sgd(d.Parameters(), 0.01), new NonSaturatingLoss(),
            (n, r) => ring.Sample(n, r), random, new GanTrainerOptions { BatchSize = 32 });
        var ex = Assert.Throws<ArgumentException>(() => unpacked.Step());
        Assert.Contains("Linear", ex.Message);
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GanTrainerOptions { Pack = 0 }.Validate());
        Assert.Contains("Pack", ex.Message);
    }
}
