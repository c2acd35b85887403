using SharpGrad.Data;
using SharpGrad.Gan;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Gan;

public class GanTrainerTests
{
    static GanTrainer Trainer(ulong seed, GanLoss loss, int criticSteps = 1, int pack = 1)
    {
        var random = new Generator(seed);
        var ring = GaussianMixture2D.Ring8();
        var g = GanMlp.Create(2, 16, 2, 2, random);
        var d = GanMlp.Create(2 * pack, 16, 2, 1, random);
        return new GanTrainer(g, d, new Sgd(g.Parameters(), 0.01), new Sgd(d.Parameters(), 0.01), loss,
            (n, r) => ring.Sample(n, r), random, new GanTrainerOptions { BatchSize = 32, CriticSteps = criticSteps, Pack = pack });
    }

    [Fact]
    public void SameSeedSameRun()
    {
        var a = Trainer(3, new WganGpLoss(), criticSteps: 5);
        var b = Trainer(3, new WganGpLoss(), criticSteps: 5);
        for (int i = 0; i < 3; i++) Assert.Equal(a.Step(), b.Step());
        Assert.Equal(a.Sample(10).ToArray(), b.Sample(10).ToArray());
        Assert.NotEqual(a.Sample(10).ToArray(), Trainer(4, new WganGpLoss(), criticSteps: 5).Sample(10).ToArray());
    }

    [Fact]
    public void StepUpdatesBothNetworksAndLeavesDiscriminatorTrainable()
    {
        var t = Trainer(1, new NonSaturatingLoss());
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
        var t = Trainer(2, new NonSaturatingLoss(), pack: 4);
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
        var t = Trainer(1, new NonSaturatingLoss());
        foreach (double bad in new[] { -0.1, double.NaN, double.PositiveInfinity })
            Assert.Contains("InstanceNoise", Assert.Throws<ArgumentOutOfRangeException>(() => t.InstanceNoise = bad).Message);
        foreach (double bad in new[] { -0.1, 1.1, double.NaN })
            Assert.Contains("InstanceNoiseFraction", Assert.Throws<ArgumentOutOfRangeException>(() => t.InstanceNoiseFraction = bad).Message);
    }

    /// <summary>Records what the discriminator's loss is given.</summary>
    sealed class RecordingLoss : GanLoss
    {
        readonly NonSaturatingLoss inner = new();
        public readonly List<(double[] Real, double[] Fake)> DiscriminatorBatches = [];
        public readonly List<double[]> GeneratorBatches = [];
        public override string Name => "recording";
        public override Tensor DiscriminatorLoss(Module discriminator, Tensor real, Tensor fake, Generator random)
        {
            DiscriminatorBatches.Add((real.ToArray(), fake.ToArray()));
            return inner.DiscriminatorLoss(discriminator, real, fake, random);
        }
        public override Tensor GeneratorLoss(Module discriminator, Tensor fake)
        {
            GeneratorBatches.Add(fake.ToArray());
            return inner.GeneratorLoss(discriminator, fake);
        }
    }

    [Fact]
    public void InstanceNoiseBlursWhatTheDiscriminatorSeesAndNothingElse()
    {
        // G maps everything to 0 (all weights 0) and the data is all 0, so what D sees is the noise alone: its standard
        // deviation must be σ = 0.5 on real and generated batches, packed or not; with σ = 0, exactly 0.
        foreach (int pack in new[] { 1, 2 })
        {
            var random = new Generator(5);
            var g = GanMlp.Create(2, 4, 1, 2, random);
            using (Autograd.NoGrad()) foreach (var p in g.Parameters()) p.Zero_();
            var d = GanMlp.Create(2 * pack, 4, 1, 1, random);
            var loss = new RecordingLoss();
            var t = new GanTrainer(g, d, new Sgd(g.Parameters(), 0), new Sgd(d.Parameters(), 0.01), loss,
                (n, r) => Tensor.Zeros([n, 2]), random, new GanTrainerOptions { BatchSize = 4000 / pack, Pack = pack });
            t.Step();
            Assert.All(loss.DiscriminatorBatches[0].Real.Concat(loss.DiscriminatorBatches[0].Fake).Concat(loss.GeneratorBatches[0]), v => Assert.Equal(0.0, v));
            t.InstanceNoise = 0.5;
            t.Step();
            var (real, fake) = loss.DiscriminatorBatches[1];
            foreach (var seen in new[] { real, fake, loss.GeneratorBatches[1] })
            {
                Assert.Equal(4000 * 2, seen.Length);
                double mean = seen.Average(), sd = Math.Sqrt(seen.Sum(v => (v - mean) * (v - mean)) / seen.Length);
                Assert.InRange(sd, 0.5 * 0.97, 0.5 * 1.03);   // 8000 draws: the sample sd is within ±3% of σ with > 99.9% probability
                Assert.InRange(mean, -0.03, 0.03);
            }
            Assert.NotEqual(real, fake);   // independent draws
            // G's samples themselves are not noisy.
            Assert.All(t.Sample(10).ToArray(), v => Assert.Equal(0.0, v));
            // With p = 0.3, about 30% of the samples get the noise (both coordinates), the others none.
            t.InstanceNoiseFraction = 0.3;
            t.Step();
            foreach (var seen in new[] { loss.DiscriminatorBatches[2].Real, loss.DiscriminatorBatches[2].Fake, loss.GeneratorBatches[2] })
            {
                var samples = Enumerable.Range(0, 4000).Select(i => (seen[2 * i], seen[2 * i + 1])).ToArray();
                Assert.All(samples, xy => Assert.Equal(xy.Item1 == 0, xy.Item2 == 0));
                double noised = samples.Count(xy => xy.Item1 != 0) / 4000.0;
                Assert.InRange(noised, 0.3 - 0.03, 0.3 + 0.03);   // binomial sd √(0.3·0.7/4000) = 0.0072: ±4 sd
            }
        }
    }
}
