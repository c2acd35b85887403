using SharpGrad.Optim;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// Every case of optim_ops.json (tools/golden/optim_ops.py: 20 steps of torch.optim 1.13, foreach=False, on the
/// loss of <see cref="GoldenProblem"/>): the same optimizer with the same hyperparameters must trace the same
/// parameters after every step, and see the same losses.
/// </summary>
public class GoldenTrajectoryTests
{
    public static TheoryData<string> Cases => GoldenFile.CaseNames(GoldenProblem.File);

    // Float64: only the summation order of our autograd differs from torch's; measured max |diff| 5e-16 over all cases.
    // Float32: torch's kernels fuse some multiply-adds and sum in another order; measured max |diff| 3.2e-7.
    internal static (double Atol, double Rtol) Tolerance(GoldenCase c) => c.IsFloat32 ? (1e-6, 1e-6) : (1e-14, 1e-12);

    // The torch optimizer of a case, rebuilt from its recorded hyperparameters (torch's defaults included).
    internal static Optimizer Make(GoldenCase c, IEnumerable<Tensor> ps)
    {
        double H(string key) => c.Number("hyper." + key);
        bool B(string key) => c.Raw.GetProperty("hyper").GetProperty(key).GetBoolean();
        double Beta(int i) => c.Raw.GetProperty("hyper").GetProperty("betas")[i].GetDouble();
        Assert.False(c.Raw.GetProperty("hyper").GetProperty("maximize").GetBoolean());
        return c.Op switch
        {
            "sgd" => new Sgd(ps, H("lr"), weightDecay: H("weight_decay"), momentum: H("momentum"), dampening: H("dampening"), nesterov: B("nesterov")),
            "adagrad" => new Adagrad(ps, H("lr"), lrDecay: H("lr_decay"), weightDecay: H("weight_decay"),
                initialAccumulatorValue: H("initial_accumulator_value"), eps: H("eps")),
            "rmsprop" => new RmsProp(ps, H("lr"), alpha: H("alpha"), eps: H("eps"), weightDecay: H("weight_decay"), momentum: H("momentum"), centered: B("centered")),
            "adam" => new Adam(ps, H("lr"), Beta(0), Beta(1), H("eps"), H("weight_decay"), amsgrad: B("amsgrad")),
            "adamw" => new AdamW(ps, H("lr"), Beta(0), Beta(1), H("eps"), H("weight_decay"), amsgrad: B("amsgrad")),
            _ => throw new InvalidOperationException($"no SharpGrad optimizer for golden op '{c.Op}'"),
        };
    }

    internal static void AssertTrajectory(GoldenCase c, IReadOnlyList<(double[] W, double[] BigW, double Loss)> rows, string what)
    {
        var (atol, rtol) = Tolerance(c);
        var w = c.Tensor("trajectory.w");
        var bigW = c.Tensor("trajectory.W");
        var losses = c.Tensor("losses");
        Assert.Equal(w.Shape[0], rows.Count);
        for (int t = 0; t < rows.Count; t++)
        {
            GoldenAssert.Close(Row(w, t), [3], rows[t].W, atol, rtol, $"{what}: w after step {t + 1}");
            GoldenAssert.Close(Row(bigW, t), [2, 3], rows[t].BigW, atol, rtol, $"{what}: W after step {t + 1}");
            GoldenAssert.Close(new GoldenTensor([], [losses.Data[t]]), [], [rows[t].Loss], atol, rtol, $"{what}: loss at step {t + 1}");
        }
    }

    internal static GoldenTensor Row(GoldenTensor trajectory, int t)
    {
        int size = trajectory.Count / trajectory.Shape[0];
        return new GoldenTensor(trajectory.Shape[1..], trajectory.Data.AsSpan(t * size, size).ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Twenty_steps_match_torch(string name)
    {
        var c = GoldenFile.Load(GoldenProblem.File)[name];
        var problem = new GoldenProblem(c);
        var rows = problem.Run(ps => Make(c, ps), (int)c.Number("steps"), out _, out _);
        AssertTrajectory(c, rows, name);
    }
}
