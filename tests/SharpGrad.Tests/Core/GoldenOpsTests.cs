using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// Every core op against PyTorch 1.13 (tools/golden/core_ops.py → Golden/core_ops.json): the output, and
/// d(Σ output·grad_output)/d input for every input. Tolerances: 1e-10 in float64, 1e-5 in float32.
/// </summary>
public class GoldenOpsTests
{
    public static TheoryData<string> Cases => GoldenFile.CaseNames("core_ops.json");

    /// <summary>The SharpGrad call that matches a golden case's op and args.</summary>
    internal static Func<Tensor[], Tensor> OpFor(GoldenCase c)
    {
        int[]? Dims() => c.HasArg("dim") ? (c.Args.GetProperty("dim").ValueKind == System.Text.Json.JsonValueKind.Array ? c.ArgInts("dim") : [c.ArgInt("dim")]) : null;
        bool Keep() => c.HasArg("keepdim") && c.ArgBool("keepdim");
        Reduction Red() => c.HasArg("reduction") ? Enum.Parse<Reduction>(c.ArgString("reduction"), ignoreCase: true) : Reduction.Mean;
        return c.Op switch
        {
            "add" => x => x[0] + x[1],
            "sub" => x => x[0] - x[1],
            "mul" => x => x[0] * x[1],
            "div" => x => x[0] / x[1],
            "neg" => x => -x[0],
            "pow" => c.HasArg("p") ? x => F.Pow(x[0], c.ArgDouble("p")) : x => F.Pow(x[0], x[1]),
            "exp" => x => F.Exp(x[0]),
            "log" => x => F.Log(x[0]),
            "sqrt" => x => F.Sqrt(x[0]),
            "abs" => x => F.Abs(x[0]),
            "sign" => x => F.Sign(x[0]),
            "step" => x => F.Step(x[0], c.ArgDouble("values")),
            "clamp" => x => F.Clamp(x[0], c.ArgDoubleOrNull("min"), c.ArgDoubleOrNull("max")),
            "sigmoid" => x => F.Sigmoid(x[0]),
            "tanh" => x => F.Tanh(x[0]),
            "relu" => x => F.ReLU(x[0]),
            "leaky_relu" => x => F.LeakyReLU(x[0], c.ArgDouble("slope")),
            "softmax" => x => F.Softmax(x[0], c.ArgInt("dim")),
            "log_softmax" => x => F.LogSoftmax(x[0], c.ArgInt("dim")),
            "matmul" => x => F.MatMul(x[0], x[1]),
            "sum" => x => Dims() is { } d ? F.Sum(x[0], d, Keep()) : Keep() ? F.Sum(x[0], AllDims(x[0]), true) : F.Sum(x[0]),
            "mean" => x => Dims() is { } d ? F.Mean(x[0], d, Keep()) : Keep() ? F.Mean(x[0], AllDims(x[0]), true) : F.Mean(x[0]),
            "max" => x => Dims() is { } d ? F.Max(x[0], d, Keep()) : Keep() ? F.Max(x[0], AllDims(x[0]), true) : F.Max(x[0]),
            "min" => x => Dims() is { } d ? F.Min(x[0], d, Keep()) : Keep() ? F.Min(x[0], AllDims(x[0]), true) : F.Min(x[0]),
            "reshape" => x => F.Reshape(x[0], c.ArgInts("shape")),
            "permute" => x => F.Permute(x[0], c.ArgInts("dims")),
            "slice" => x => F.Slice(x[0], c.ArgInt("dim"), c.ArgInt("start"), c.ArgInt("end"), c.ArgInt("step")),
            "cat" => x => F.Cat(x, c.ArgInt("dim")),
            "mse_loss" => x => F.MseLoss(x[0], x[1], Red()),
            "bce_loss" => x => F.BceLoss(x[0], x[1], Red()),
            "bce_with_logits_loss" => x => F.BceWithLogitsLoss(x[0], x[1], Red()),
            "cross_entropy" => x => F.CrossEntropy(x[0], x[1], Red()),
            "nll_loss" => x => F.NllLoss(x[0], x[1], Red()),
            _ => throw new InvalidOperationException($"no SharpGrad op for golden op '{c.Op}'"),
        };
    }

    static int[] AllDims(Tensor t) => Enumerable.Range(0, t.Rank).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = GoldenFile.Load("core_ops.json")[name];
        var dtype = c.IsFloat32 ? DType.Float32 : DType.Float64;
        double tol = c.IsFloat32 ? 1e-5 : 1e-10;
        var inputs = c.Inputs.Select((t, i) => Tensor.FromArray(t.Data, t.Shape, dtype, requiresGrad: c.Grads[i] is not null)).ToArray();

        var output = OpFor(c)(inputs);
        GoldenAssert.Close(c.Output, output.Shape.ToArray(), output.ToArray(), tol, tol, $"{name} output");

        var gradOutput = Tensor.FromArray(c.GradOutput.Data, c.GradOutput.Shape, dtype);
        if (!output.RequiresGrad)   // sign/step: nothing recorded, which is right only where PyTorch's gradients are zero
        {
            GoldenAssert.NoGradients(c);
            return;
        }
        output.Backward(gradOutput);
        for (int i = 0; i < inputs.Length; i++)
        {
            if (c.Grads[i] is not { } expected) continue;
            var grad = inputs[i].Grad ?? Tensor.Zeros(inputs[i].Shape.ToArray(), dtype);
            GoldenAssert.Close(expected, grad.Shape.ToArray(), grad.ToArray(), tol, tol, $"{name} grad of input {i}");
        }
    }
}
