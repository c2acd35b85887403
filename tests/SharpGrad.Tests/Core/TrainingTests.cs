using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit;

namespace SharpGrad.Tests.Core;

public class TrainingTests
{
    [Fact]
    public void TwoLayerMlpLearnsXorWithSgd()
    {
        var x = Tensor.FromArray(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        int[] y = [0, 1, 1, 0];
        var model = new Sequential(new Linear(2, 8, generator: new Generator(3)), new Tanh(), new Linear(8, 2, generator: new Generator(4)));
        var opt = new Sgd(model.Parameters(), lr: 0.5);
        for (int step = 0; step < 500; step++)
        {
            var loss = F.CrossEntropy(model.Forward(x), y);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
        }
        var predicted = F.ArgMax(model.Forward(x), 1).ToArray();
        Assert.Equal(y.Select(v => (double)v), predicted);   // 100% training accuracy
    }

    [Fact]
    public void MlpSeparatesTwoMoons()
    {
        // Two interleaved half circles with noise (scikit-learn's make_moons construction), 200 points.
        var g = new Generator(11);
        int n = 200;
        var points = new float[n, 2];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            double t = Math.PI * g.NextDouble();
            bool upper = i % 2 == 0;
            points[i, 0] = (float)((upper ? Math.Cos(t) : 1 - Math.Cos(t)) + 0.08 * g.NextGaussian());
            points[i, 1] = (float)((upper ? Math.Sin(t) : 0.5 - Math.Sin(t)) + 0.08 * g.NextGaussian());
            labels[i] = upper ? 0 : 1;
        }
        var x = Tensor.FromArray(points);
        var model = new Sequential(new Linear(2, 32, generator: g), new ReLU(), new Linear(32, 32, generator: g), new ReLU(), new Linear(32, 2, generator: g));
        var opt = new Sgd(model.Parameters(), lr: 0.2);
        for (int step = 0; step < 1500; step++)
        {
            var loss = F.CrossEntropy(model.Forward(x), labels);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
        }
        var predicted = F.ArgMax(model.Forward(x), 1).ToArray();
        Assert.Equal(labels.Select(v => (double)v), predicted);   // 100% training accuracy
    }

    [Fact]
    public void ModuleNamesParametersLikePyTorch()
    {
        var model = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2, bias: false));
        Assert.Equal(["0.weight", "0.bias", "2.weight"], model.NamedParameters().Select(p => p.Key));
        Assert.Equal(3 * 4 + 4 + 4 * 2, model.ParameterCount());
        var copy = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2, bias: false));
        copy.LoadStateDict(model.StateDict());
        Assert.Equal(model.Parameters().First().ToArray(), copy.Parameters().First().ToArray());
        var m = Assert.Throws<ArgumentException>(() => new Sequential(new Linear(3, 5)).LoadStateDict(model.StateDict())).Message;
        Assert.Contains("unexpected keys [2.weight]", m);
    }

    [Fact]
    public void LinearInitialisationFollowsPyTorchBounds()
    {
        var layer = new Linear(100, 50, generator: new Generator(5));
        double bound = 1 / Math.Sqrt(100);   // kaiming_uniform(a = √5) ⇒ U(−1/√fan_in, 1/√fan_in)
        Assert.All(layer.Weight.ToArray(), w => Assert.InRange(w, -bound, bound));
        Assert.All(layer.Bias!.ToArray(), b => Assert.InRange(b, -bound, bound));
        Assert.True(layer.Weight.ToArray().Max() > 0.9 * bound);
    }
}
