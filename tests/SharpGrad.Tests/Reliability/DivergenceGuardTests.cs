using SharpGrad.Data;
using SharpGrad.Kernels;
using SharpGrad.Models;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Reliability;

/// <summary>Issue 18's divergence guard: a non-finite loss or gradient stops training at that step, before the step.</summary>
public sealed class DivergenceGuardTests
{
    /// <summary>32 examples of 4 features in 2 classes, the features scaled by <paramref name="scale"/>.</summary>
    static DataLoader Loader(float scale = 1)
    {
        var g = new Generator(7);
        var x = Enumerable.Range(0, 128).Select(_ => scale * (float)g.NextGaussian()).ToArray();
        var y = Enumerable.Range(0, 32).Select(i => i % 2).ToArray();
        return new DataLoader(new TensorDataset(x, [4], y, 2), 8);
    }

    [Fact]
    public void ANonFiniteLossStopsAtThatStepAndKeepsTheWeights()
    {
        var g = new Generator(1);
        var model = new Sequential(new Linear(4, 2, generator: g));
        var opt = new Sgd(model.Parameters(), lr: 0.1);
        var x = Enumerable.Repeat(0.5f, 128).ToArray();
        x[4 * 9] = float.NaN;   // example 9 is in the second batch of 8: its loss is NaN, the first step's is not
        var loader = new DataLoader(new TensorDataset(x, [4], Enumerable.Range(0, 32).Select(i => i % 2).ToArray(), 2), 8);
        var e = Assert.Throws<TrainingDivergedException>(() => Classifier.TrainEpoch(model, opt, loader));
        Assert.Equal(2, e.Step);
        Assert.Contains("step 2", e.Message);
        Assert.Contains("loss", e.Message);
        Assert.All(model.Parameters().SelectMany(p => p.ToArray()), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void WeightsThatOverflowInTheStepStopAtThatStep()
    {
        var g = new Generator(1);
        var model = new Sequential(new Linear(4, 2, generator: g));
        // Inputs ~1e10 give gradients ~1e10, finite; lr 1e30 makes the update ~1e40, past float32's 3.4e38.
        var opt = new Sgd(model.Parameters(), lr: 1e30);
        var e = Assert.Throws<TrainingDivergedException>(() => Classifier.TrainEpoch(model, opt, Loader(1e10f)));
        Assert.Equal(1, e.Step);
        Assert.Contains("weights", e.Message);
    }

    [Fact]
    public void ANonFiniteGradientStopsBeforeTheOptimizerStep()
    {
        var g = new Generator(1);
        var model = new Sequential(new Linear(4, 2, generator: g));
        var opt = new Sgd(model.Parameters(), lr: 0.1);
        // Inputs of 1e38: the loss may stay finite in log-sum-exp but dL/dW = dL/dlogits · x overflows float32 to ∞.
        var weights = model.Parameters().SelectMany(p => p.ToArray()).ToArray();
        var e = Assert.Throws<TrainingDivergedException>(() => Classifier.TrainEpoch(model, opt, Loader(3e38f)));
        Assert.Equal(1, e.Step);
        Assert.Equal(weights, model.Parameters().SelectMany(p => p.ToArray()).ToArray());   // the step did not run
    }

    [Fact]
    public void MaxGradNormClipsEveryStep()
    {
        var g1 = new Generator(1);
        var clipped = new Sequential(new Linear(4, 2, generator: g1));
        var g2 = new Generator(1);
        var plain = new Sequential(new Linear(4, 2, generator: g2));
        var optClipped = new Sgd(clipped.Parameters(), lr: 1);
        var optPlain = new Sgd(plain.Parameters(), lr: 1);
        var start = plain.Parameters().SelectMany(p => p.ToArray()).ToArray();
        // One batch: with max norm 1e-3 the update Δw = −lr·g has norm ≤ 1e-3 (torch's rule, see GradClipping).
        var oneBatch = new DataLoader(new TensorDataset(Enumerable.Range(0, 32).Select(i => (float)i).ToArray(), [4],
            Enumerable.Range(0, 8).Select(i => i % 2).ToArray(), 2), 8);
        Classifier.TrainEpoch(clipped, optClipped, oneBatch, options: new TrainingOptions { MaxGradNorm = 1e-3 });
        Classifier.TrainEpoch(plain, optPlain, oneBatch);
        double Moved(Module m) => Math.Sqrt(m.Parameters().SelectMany(p => p.ToArray()).Zip(start, (a, b) => (a - b) * (a - b)).Sum());
        Assert.InRange(Moved(clipped), 0, 1e-3 * (1 + 1e-5));
        Assert.True(Moved(plain) > 1e-2, $"the unclipped step moved {Moved(plain)}");
    }

    [Fact]
    public void DetectAnomalyNamesTheFirstOpAndItsShapes()
    {
        var g = new Generator(1);
        var model = new Sequential(new Linear(4, 2, generator: g));
        var opt = new Sgd(model.Parameters(), lr: 0.1);
        var x = Enumerable.Repeat(1f, 32).ToArray();
        x[5] = float.PositiveInfinity;   // example 1 feature 1: the first op (the Linear's product) turns it into ±∞/NaN
        var loader = new DataLoader(new TensorDataset(x, [4], Enumerable.Range(0, 8).Select(i => i % 2).ToArray(), 2), 8);
        var e = Assert.Throws<TrainingDivergedException>(() => Classifier.TrainEpoch(model, opt, loader, options: new TrainingOptions { DetectAnomaly = true }));
        Assert.Equal(1, e.Step);
        Assert.Contains("DetectAnomaly", e.Message);
        Assert.Contains("[8, 4]", e.Message);   // the input's shape
        Assert.Contains("[8, 2]", e.Message);   // the output's shape
    }

    [Fact]
    public void FiniteScanFindsTheFirstNonFiniteAndSurvivesFloatOverflow()
    {
        // 1e20² = 1e40 overflows float32 (max 3.4e38) though every value is finite: the sum is redone in double.
        float[] big = [1e20f, 1e20f];
        // (float)1e20 is exactly 100000002004087734272; 2·that² = 2.00000008016351e40 (Python integers).
        Assert.Equal(2.00000008016351e40, FiniteScan.SumOfSquares<float>(big), 1e27);
        Assert.Equal(-1, FiniteScan.FirstNonFinite<float>(big));
        Assert.Equal(-1, FiniteScan.FirstNonFinite<float>([]));
        Assert.Equal(3, FiniteScan.FirstNonFinite<double>([1, 2, 3, double.NegativeInfinity, double.NaN]));
        Assert.True(double.IsNaN(FiniteScan.SumOfSquares<double>([1, double.NaN])));
    }
}
