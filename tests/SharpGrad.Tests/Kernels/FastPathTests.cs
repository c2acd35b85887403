using SharpGrad;
using SharpGrad.Kernels;
using SharpGrad.Optim;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// The vectorised paths beside the loops they replace, on inputs made to hit their edges: ties, NaNs, broadcast
/// scalars and lengths that leave a tail. Each expected value comes from a plain loop written here from the rule.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class FastPathTests
{
    // Few distinct values, so windows tie often; a NaN now and then.
    static float[] TiesAndNaNs(int length, int seed)
    {
        var random = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = random.Next(40) == 0 ? float.NaN : random.Next(4) - 1;
        return x;
    }

    [Theory]
    [IsaData("Avx512")]
    [IsaData("Portable")]
    public void MaxPool2x2MatchesTheScanOrderRule(string isa)
    {
        using var _ = GemmCheck.Force(isa);
        foreach (int width in new[] { 28, 10, 40, 6, 2, 11 })
        {
            int height = 6, planes = 3, oh = height / 2, ow = width / 2;
            var x = TiesAndNaNs(planes * height * width, width);
            var o = new float[planes * oh * ow];
            var argmax = new int[o.Length];
            var win = PoolWindows.Sliding(height, width, 2, 2, 2, 2, 0, 0, countPadding: false);
            Assert.True(win.IsNonOverlapping2x2);
            MaxPool2dKernel.Forward<float>(win, planes, height, width, x, o, argmax);
            for (int pl = 0, k = 0; pl < planes; pl++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++, k++)
                    {
                        // torch's rule (v > max || isnan(v) in scan order): the first maximum, and the last NaN.
                        int best = -1;
                        foreach (int at in new[] { 2 * i * width + 2 * j, 2 * i * width + 2 * j + 1, (2 * i + 1) * width + 2 * j, (2 * i + 1) * width + 2 * j + 1 })
                        {
                            float v = x[pl * height * width + at];
                            if (best < 0 || v > x[pl * height * width + best] || float.IsNaN(v)) best = at;
                        }
                        Assert.True(best == argmax[k], $"isa {isa}, width {width}, plane {pl}, window ({i}, {j}): argmax {argmax[k]}, expected {best}");
                        Assert.Equal(x[pl * height * width + best], o[k]);
                    }
        }
    }

    [IsaFact("Avx512")]
    public void MaxPool2x2BackwardWritesTheGradientWhereTheForwardFoundTheMaximum()
    {
        using var _ = GemmCheck.Force("Avx512");
        foreach (var (height, width) in new[] { (28, 28), (10, 10), (6, 40), (7, 11), (4, 2) })
        {
            int planes = 3, oh = height / 2, ow = width / 2;
            var x = TiesAndNaNs(planes * height * width, width + height);
            var o = new float[planes * oh * ow];
            var argmax = new int[o.Length];
            var win = PoolWindows.Sliding(height, width, 2, 2, 2, 2, 0, 0, countPadding: false);
            MaxPool2dKernel.Forward<float>(win, planes, height, width, x, o, argmax);
            var g = GemmCheck.Random<float>(new Random(height * width), o.Length);
            var fast = Enumerable.Repeat(float.NaN, x.Length).ToArray();   // every entry must be written
            MaxPool2dKernel.ScatterAdd<float>(planes, oh * ow, height * width, g, argmax, fast, tileWidth: width);
            // The rule: dX[argmax[k]] = g[k], 0 at every input no window chose (and at the odd last row or column).
            var expected = new float[x.Length];
            for (int pl = 0; pl < planes; pl++)
                for (int k = 0; k < oh * ow; k++)
                    expected[pl * height * width + argmax[pl * oh * ow + k]] += g[pl * oh * ow + k];
            Assert.Equal(expected, fast);
        }
    }

    [Fact]
    public void LongElementwiseRunsSplitOverThreadsGiveTheSameElements()
    {
        // 200 001 elements: past the split threshold, and odd, so the slices are uneven.
        var g = new Generator(21);
        var a = Tensor.Randn([200_001], g);
        var b = Tensor.Randn([200_001], g);
        int saved = Threads.Count;
        try
        {
            var results = new List<float[][]>();
            foreach (int threads in new[] { 1, 2 })
            {
                Threads.Count = threads;
                results.Add([F.Tanh(a).ToFloatArray(), (a * b).ToFloatArray(), (a + 2).ToFloatArray(), F.Gt(a, b).ToFloatArray()]);
            }
            for (int op = 0; op < 4; op++) Assert.Equal(results[0][op], results[1][op]);
            // Each element as the plain rule gives it (tanh to the vector kernel's accuracy).
            float[] x = a.ToFloatArray(), y = b.ToFloatArray();
            for (int i = 0; i < x.Length; i += 997)
            {
                Assert.Equal(MathF.Tanh(x[i]), results[1][0][i], 1e-6f);
                Assert.Equal(x[i] * y[i], results[1][1][i]);
                Assert.Equal(x[i] + 2, results[1][2][i]);
                Assert.Equal(x[i] > y[i] ? 1f : 0f, results[1][3][i]);
            }
        }
        finally { Threads.Count = saved; }
    }

    [Fact]
    public void ComparisonsMatchTheScalarRuleWithNaNsAndBroadcast()
    {
        const int n = 37;   // two 16-wide vectors and a tail of 5
        var a = TiesAndNaNs(n, 1);
        var b = TiesAndNaNs(n, 2);
        var ta = Tensor.FromArray(a, [n]);
        var tb = Tensor.FromArray(b, [n]);
        var cases = new (string name, Func<Tensor, Tensor, Tensor> op, Func<float, float, bool> rule)[]
        {
            ("Eq", F.Eq, (x, y) => x == y), ("Ne", F.Ne, (x, y) => x != y), ("Gt", F.Gt, (x, y) => x > y),
            ("Ge", F.Ge, (x, y) => x >= y), ("Lt", F.Lt, (x, y) => x < y), ("Le", F.Le, (x, y) => x <= y),
        };
        foreach (var (name, op, rule) in cases)
        {
            var full = op(ta, tb).ToFloatArray();
            var scalar = op(ta, Tensor.Scalar(0)).ToFloatArray();
            for (int i = 0; i < n; i++)
            {
                Assert.True((rule(a[i], b[i]) ? 1f : 0f) == full[i], $"{name}({a[i]}, {b[i]}) at {i} gave {full[i]}");
                Assert.True((rule(a[i], 0) ? 1f : 0f) == scalar[i], $"{name}({a[i]}, 0) at {i} gave {scalar[i]}");
            }
        }
    }

    [Fact]
    public void ReluBackwardPassesTheGradientWhereTheInputIsPositiveAndZeroElsewhere()
    {
        const int n = 37;
        var x = TiesAndNaNs(n, 3);
        var upstream = new float[n];
        for (int i = 0; i < n; i++) upstream[i] = i % 7 == 0 ? float.NaN : i;
        var input = Tensor.FromArray(x, [n], requiresGrad: true);
        F.ReLU(input).Backward(Tensor.FromArray(upstream, [n]));
        var dx = input.Grad!.ToFloatArray();
        // torch's threshold_backward: x > 0 ? g : 0, so a NaN upstream gradient stays out where x ≤ 0 (or NaN: ReLU(NaN) = NaN, not > 0).
        for (int i = 0; i < n; i++)
            Assert.True(x[i] > 0 ? BitConverter.SingleToInt32Bits(upstream[i]) == BitConverter.SingleToInt32Bits(dx[i]) : dx[i] == 0,
                $"x = {x[i]}, g = {upstream[i]}: dL/dx = {dx[i]}");
    }

    [Theory]
    [InlineData(false, 0.0, false)]
    [InlineData(true, 0.0, false)]
    [InlineData(false, 0.01, false)]
    [InlineData(false, 0.01, true)]
    public void AdamsVectorLoopGivesTheBitsOfTheScalarRule(bool amsgrad, double weightDecay, bool decoupled)
    {
        const int n = 37;
        var random = new Random(5);
        float[] theta = new float[n], grads = new float[3 * n];
        for (int i = 0; i < n; i++) theta[i] = (float)(random.NextDouble() - 0.5);
        for (int i = 0; i < grads.Length; i++) grads[i] = (float)(random.NextDouble() - 0.5);
        var p = Tensor.FromArray(theta, [n], requiresGrad: true);
        Optimizer optimizer = decoupled ? new AdamW([p], lr: 0.01, weightDecay: weightDecay) : new Adam([p], lr: 0.01, weightDecay: weightDecay, amsgrad: amsgrad);
        float[] m = new float[n], v = new float[n], vMax = new float[n], expected = (float[])theta.Clone();
        for (int t = 1; t <= 3; t++)
        {
            p.Grad = Tensor.FromArray(grads[((t - 1) * n)..(t * n)], [n]);
            optimizer.Step();
            // The update of Adam.cs written out per element, in float, in the same order.
            double c1 = 1 - Math.Pow(0.9, t), c2 = 1 - Math.Pow(0.999, t);
            float stepSize = (float)(0.01 / c1), sqrtC2 = (float)Math.Sqrt(c2);
            for (int i = 0; i < n; i++)
            {
                float g = grads[(t - 1) * n + i];
                if (weightDecay != 0 && decoupled) expected[i] *= (float)(1 - 0.01 * weightDecay);
                else if (weightDecay != 0) g += (float)weightDecay * expected[i];
                m[i] = m[i] * 0.9f + (float)(1 - 0.9) * g;
                v[i] = v[i] * 0.999f + (float)(1 - 0.999) * g * g;
                float used = v[i];
                if (amsgrad) used = vMax[i] = Math.Max(vMax[i], v[i]);
                expected[i] -= stepSize * (m[i] / (MathF.Sqrt(used) / sqrtC2 + 1e-8f));
            }
        }
        Assert.Equal(expected, p.ToFloatArray());
    }
}
