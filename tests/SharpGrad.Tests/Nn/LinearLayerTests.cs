using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// Linear's forward y = xWᵀ + b on weights set by hand, its default initialisation U(±1/√in) (torch's), and its
/// argument checks; RecurrentInit's U(±1/√H) for the recurrent layers.
/// </summary>
public class LinearLayerTests
{
    [Fact]
    public void Forward_is_x_times_W_transposed_plus_b()
    {
        // W = [[1, 2], [3, 4], [5, 6]], b = [10, 20, 30], x = [1, −1]: y = [1 − 2, 3 − 4, 5 − 6] + b = [9, 19, 29] (by hand).
        var lin = new Linear(2, 3, dtype: DType.Float64);
        using (Autograd.NoGrad())
        {
            lin.Weight.Copy_(Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [3, 2]));
            lin.Bias!.Copy_(Tensor.FromArray(new double[] { 10, 20, 30 }, [3]));
        }
        Assert.Equal(new[] { 9.0, 19, 29 }, lin.Forward(Tensor.FromArray(new double[] { 1, -1 }, [1, 2])).ToArray());
        var noBias = new Linear(2, 3, bias: false, dtype: DType.Float64);
        Assert.Null(noBias.Bias);
    }

    [Fact]
    public void Default_initialisation_fills_plus_minus_one_over_root_in()
    {
        // in = 4: bound 1/√4 = 0.5. The seeded draws (200 weights, 50 biases) reach beyond ±0.4 on both sides, as
        // U(−0.5, 0.5) does with probability 1 − 0.9ⁿ; a bound of 1 or a one-sided range would fail this.
        var lin = new Linear(4, 50, dtype: DType.Float64, generator: new Generator(7));
        foreach (var t in new[] { lin.Weight, lin.Bias! })
        {
            var v = t.ToArray();
            Assert.All(v, x => Assert.InRange(x, -0.5, 0.5));
            Assert.True(v.Min() < -0.4 && v.Max() > 0.4, $"min {v.Min()}, max {v.Max()}");
        }
    }

    [Fact]
    public void Sizes_must_be_positive_and_inputs_must_end_in_in_features()
    {
        _ = new Linear(1, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(3, 0));
        var lin = new Linear(2, 3);
        Assert.Contains("must end in 2 features", Assert.Throws<ArgumentException>(() => lin.Forward(Tensor.Zeros([4, 3]))).Message);
        Assert.Contains("must end in 2 features", Assert.Throws<ArgumentException>(() => lin.Forward(Tensor.Scalar(1f))).Message);
    }

    [Fact]
    public void Recurrent_parameters_are_uniform_in_plus_minus_one_over_root_hidden()
    {
        // H = 4: bound 1/√4 = 0.5, rows = gates·H = 12; the seeded draws of every tensor reach beyond ±0.2 on both sides.
        var (wIh, wHh, bIh, bHh) = RecurrentInit.Uniform("LSTM", 3, 5, 4, true, DType.Float64, new Generator(3));
        Assert.Equal([12, 5], wIh.Shape);
        Assert.Equal([12, 4], wHh.Shape);
        foreach (var t in new[] { wIh, wHh, bIh!, bHh! })
        {
            var v = t.ToArray();
            Assert.All(v, x => Assert.InRange(x, -0.5, 0.5));
            Assert.True(v.Min() < -0.2 && v.Max() > 0.2, $"min {v.Min()}, max {v.Max()}");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => RecurrentInit.Uniform("LSTM", 4, 0, 4, true, DType.Float64, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecurrentInit.Uniform("LSTM", 4, 4, 0, true, DType.Float64, null));
        _ = RecurrentInit.Uniform("LSTM", 4, 1, 1, false, DType.Float64, null);
    }
}
