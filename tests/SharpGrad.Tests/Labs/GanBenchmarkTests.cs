using SharpGrad.Data;
using SharpGrad.Gan;
using SharpGrad.Labs.GanTraining;
using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class GanBenchmarkTests
{
    // A few steps of a tiny BatchNorm generator: the machinery, not the benchmark's numbers.
    static readonly GanTask TinyRing = new(GaussianMixture2D.Ring8(), Steps: 3, GeneratorWidth: 8, GeneratorLayers: 2,
        DiscriminatorWidth: 8, DiscriminatorLayers: 2, GeneratorBatchNorm: true);

    static GanBenchmarkOptions Options(int evalSamples = 64) => new() { Tasks = [TinyRing], Seeds = 1, BatchSize = 16, EvalSamples = evalSamples };

    static GanBenchmarkOptions Fraction(double fraction) =>
        new() { Tasks = [TinyRing], Seeds = 1, BatchSize = 16, EvalSamples = 64, InstanceNoiseFraction = fraction };

    [Fact]
    public void BatchNormGeneratorHasOneBatchNormPerHiddenLayer()
    {
        var g = GanMlp.Create(2, 8, 3, 2, new Generator(1), batchNorm: true);
        var kinds = g.NamedChildren().Select(c => c.Value.GetType()).ToArray();
        Assert.Equal([typeof(Linear), typeof(BatchNorm1d), typeof(ReLU), typeof(Linear), typeof(BatchNorm1d), typeof(ReLU),
            typeof(Linear), typeof(BatchNorm1d), typeof(ReLU), typeof(Linear)], kinds);
        Assert.DoesNotContain(GanMlp.Create(2, 8, 3, 2, new Generator(1)).NamedChildren(), c => c.Value is BatchNorm1d);
    }

    [Fact]
    public void BatchNormGeneratorIsSampledInEvalMode()
    {
        // In training mode BatchNorm needs more than one sample per batch; in eval mode it uses the running statistics,
        // so a single evaluation sample works, and equals the first of a larger evaluation with the same latent stream.
        foreach (var method in new[] { GanMethod.NonSaturating, GanMethod.PacGan })
        {
            var one = GanBenchmark.RunOne(TinyRing, method, seed: 2, Options(evalSamples: 1));
            var many = GanBenchmark.RunOne(TinyRing, method, seed: 2, Options(evalSamples: 64));
            Assert.Equal(2, one.Xy.Length);
            Assert.All(many.Xy, v => Assert.True(double.IsFinite(v)));
            Assert.Equal(one.Xy[0], many.Xy[0], 5);
            Assert.Equal(one.Xy[1], many.Xy[1], 5);
        }
    }

    [Fact]
    public void BatchNormRunsAreSeededAndSnapshotsDoNotChangeTheResult()
    {
        var snapshots = new List<GanSnapshot>();
        var plain = GanBenchmark.RunOne(TinyRing, GanMethod.NonSaturating, seed: 3, Options());
        var withSnapshots = GanBenchmark.RunOne(TinyRing, GanMethod.NonSaturating, seed: 3,
            new GanBenchmarkOptions { Tasks = [TinyRing], Seeds = 1, BatchSize = 16, EvalSamples = 64, SnapshotSteps = [0, 1, 3] }, snapshots.Add);
        Assert.Equal(plain.Xy, withSnapshots.Xy);
        Assert.Equal([0, 1, 3], snapshots.Select(s => s.Step).ToArray());
        Assert.NotEqual(plain.Xy, GanBenchmark.RunOne(TinyRing, GanMethod.NonSaturating, seed: 4, Options()).Xy);
    }

    [Fact]
    public void InstanceNoiseIsPacGansAndFollowsItsSchedule()
    {
        // σ₀ = 0.25 × the grid's mode distance 2 = 0.5; held to 0.2 of training, then linear to 0 at 0.6: half at 0.4.
        var grid = GanBenchmark.DefaultTasks(1)[1] with { PacGanInstanceNoise = 0.25 };
        var options = new GanBenchmarkOptions { InstanceNoiseFactor = GanBenchmark.HoldThenDecay(0.2, 0.6) };
        Assert.Equal(0.5, options.InstanceNoiseOf(grid, GanMethod.PacGan, 0), 12);
        Assert.Equal(0.5, options.InstanceNoiseOf(grid, GanMethod.PacGan, 0.2), 12);
        Assert.Equal(0.25, options.InstanceNoiseOf(grid, GanMethod.PacGan, 0.4), 12);
        Assert.Equal(0.0, options.InstanceNoiseOf(grid, GanMethod.PacGan, 0.6));
        Assert.Equal(0.0, options.InstanceNoiseOf(grid, GanMethod.PacGan, 0.99));
        foreach (var other in GanMethods.All.Where(m => m != GanMethod.PacGan))
            Assert.Equal(0.0, options.InstanceNoiseOf(grid, other, 0));
        // Ring: 0.25 × 2·sin(π/8). The default schedule holds σ₀ to 0.45 of training and reaches 0 at 0.65 (half at 0.55).
        var ring = GanBenchmark.DefaultTasks(1)[0] with { PacGanInstanceNoise = 0.25 };
        Assert.Equal(0.5 * Math.Sin(Math.PI / 8), new GanBenchmarkOptions().InstanceNoiseOf(ring, GanMethod.PacGan, 0.45), 12);
        Assert.Equal(0.25 * Math.Sin(Math.PI / 8), new GanBenchmarkOptions().InstanceNoiseOf(ring, GanMethod.PacGan, 0.55), 12);
        Assert.Equal(0.0, new GanBenchmarkOptions().InstanceNoiseOf(ring, GanMethod.PacGan, 0.65));
        // The benchmark's tasks: noise on the grid only.
        Assert.Equal([0.0, GanBenchmark.GridPacGanInstanceNoise], GanBenchmark.DefaultTasks(1).Select(t => t.PacGanInstanceNoise).ToArray());
        // The learning-rate schedule is the same helper with a floor: 1 to 0.3, then linear to 0.02 at the end.
        Assert.Equal(0.5, GanBenchmark.DecayAfter(0.3)(0.65), 12);
        Assert.Equal(0.02, GanBenchmark.DecayAfter(0.3)(0.999), 12);
        // It changes a PacGAN run, and nothing else's.
        var noisy = TinyRing with { PacGanInstanceNoise = 0.25 };
        var pacGanPlain = GanBenchmark.RunOne(TinyRing, GanMethod.PacGan, seed: 2, Fraction(1));
        Assert.NotEqual(pacGanPlain.Xy, GanBenchmark.RunOne(noisy, GanMethod.PacGan, seed: 2, Fraction(1)).Xy);
        Assert.NotEqual(pacGanPlain.Xy, GanBenchmark.RunOne(noisy, GanMethod.PacGan, seed: 2, Fraction(0.5)).Xy);
        Assert.Equal(pacGanPlain.Xy, GanBenchmark.RunOne(noisy, GanMethod.PacGan, seed: 2, Fraction(0)).Xy);
        Assert.Equal(GanBenchmark.RunOne(TinyRing, GanMethod.NonSaturating, seed: 2, Fraction(1)).Xy,
            GanBenchmark.RunOne(noisy, GanMethod.NonSaturating, seed: 2, Fraction(1)).Xy);
        foreach (var (task, bad) in new[] { (TinyRing with { PacGanInstanceNoise = -1 }, Fraction(1)), (TinyRing with { PacGanInstanceNoise = double.NaN }, Fraction(1)), (noisy, Fraction(1.5)) })
            Assert.Contains("InstanceNoise", Assert.Throws<ArgumentOutOfRangeException>(() => GanBenchmark.RunOne(task, GanMethod.PacGan, 2, bad)).Message);
        Assert.Contains("HoldThenDecay", Assert.Throws<ArgumentOutOfRangeException>(() => GanBenchmark.HoldThenDecay(0.6, 0.2)).Message);
    }

    [Fact]
    public void MaxoutDiscriminatorHasOneMaxoutPerHiddenLayerAndTrains()
    {
        var d = GanMlp.Create(4, 8, 3, 1, new Generator(1), maxoutPieces: 5);
        Assert.Equal([typeof(Maxout), typeof(Maxout), typeof(Maxout), typeof(Linear)], d.NamedChildren().Select(c => c.Value.GetType()).ToArray());
        Assert.Equal([40, 4], ((Maxout)d.NamedChildren().First().Value).Weight.Shape);   // 5 pieces × 8 units, 4 inputs
        var run = GanBenchmark.RunOne(TinyRing with { DiscriminatorMaxoutPieces = 2 }, GanMethod.PacGan, seed: 2, Options());
        Assert.All(run.Xy, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void RunOrderDoesNotChangeTheResults()
    {
        // Run hands out the dearest runs first (here PacGAN before the others); each result still equals its own RunOne.
        var options = new GanBenchmarkOptions
        {
            Tasks = [TinyRing with { MethodSteps = new Dictionary<GanMethod, int> { [GanMethod.PacGan] = 6 } }],
            Methods = [GanMethod.NonSaturating, GanMethod.PacGan], Seeds = 2, BatchSize = 16, EvalSamples = 64,
        };
        var all = GanBenchmark.Run(options, maxParallelism: 2);
        Assert.Equal(4, all.Runs.Count);
        foreach (var r in all.Runs)
            Assert.Equal(GanBenchmark.RunOne(options.Tasks[0], r.Method, r.Seed, options).Xy, r.Xy);
        Assert.Equal([GanMethod.NonSaturating, GanMethod.NonSaturating, GanMethod.PacGan, GanMethod.PacGan], all.Runs.Select(r => r.Method).ToArray());
    }
}
