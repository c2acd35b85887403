using SharpGrad.Tests.Golden;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// The small problem of tools/golden/optim_ops.py: parameters w [3], W [2,3], constants A [4,3], y [4],
/// L = sum((A @ w - y)²) + sum(tanh(W)²) + 0.5·sum((W @ w)²). The loss through SharpGrad's autograd, and its
/// gradient by hand in float64 for the tests that check an update rule independently of autograd.
/// </summary>
internal sealed class GoldenProblem
{
    public const string File = "optim_ops.json";

    public GoldenProblem(GoldenCase golden)
    {
        Golden = golden;
        DType = golden.IsFloat32 ? DType.Float32 : DType.Float64;
        A = golden.Tensor("constants.A").Data;
        Y = golden.Tensor("constants.y").Data;
        W0 = golden.Tensor("initial.w").Data;
        BigW0 = golden.Tensor("initial.W").Data;
    }

    /// <summary>The float64 case of the fixture (every case shares A, y, w₀, W₀).</summary>
    public static GoldenProblem Float64() => new(GoldenFile.Load(File)["sgd"]);

    public GoldenCase Golden { get; }
    public DType DType { get; }
    public double[] A { get; }
    public double[] Y { get; }
    public double[] W0 { get; }
    public double[] BigW0 { get; }

    /// <summary>Fresh leaf parameters at the starting point: (w, W).</summary>
    public (Tensor W, Tensor BigW) Parameters() =>
        (Tensor.FromArray(W0, [3], DType, requiresGrad: true), Tensor.FromArray(BigW0, [2, 3], DType, requiresGrad: true));

    /// <summary>The fixture's loss, built from SharpGrad ops.</summary>
    public Tensor Loss(Tensor w, Tensor bigW)
    {
        var a = Tensor.FromArray(A, [4, 3], DType);
        var y = Tensor.FromArray(Y, [4], DType);
        var r = a.MatMul(w) - y;
        var t = bigW.Tanh();
        var ww = bigW.MatMul(w);
        return (r * r).Sum() + (t * t).Sum() + (ww * ww).Sum() * 0.5;
    }

    /// <summary>
    /// ∂L/∂w = 2Aᵀ(Aw − y) + Wᵀ(Ww) and ∂L/∂W = 2 tanh(W)(1 − tanh²(W)) + (Ww)wᵀ, by hand in float64.
    /// </summary>
    public (double[] dLdw, double[] dLdW) Gradient(double[] w, double[] bigW)
    {
        var r = new double[4];
        for (int i = 0; i < 4; i++)
        {
            r[i] = -Y[i];
            for (int j = 0; j < 3; j++) r[i] += A[i * 3 + j] * w[j];
        }
        var ww = new double[2];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++) ww[i] += bigW[i * 3 + j] * w[j];
        var dw = new double[3];
        for (int j = 0; j < 3; j++)
        {
            for (int i = 0; i < 4; i++) dw[j] += 2 * A[i * 3 + j] * r[i];
            for (int i = 0; i < 2; i++) dw[j] += bigW[i * 3 + j] * ww[i];
        }
        var dW = new double[6];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
            {
                double th = Math.Tanh(bigW[i * 3 + j]);
                dW[i * 3 + j] = 2 * th * (1 - th * th) + ww[i] * w[j];
            }
        return (dw, dW);
    }

    /// <summary>Runs <paramref name="steps"/> of zero_grad, backward, step, as the fixture's script; returns (w, W, loss) after each step.</summary>
    public List<(double[] W, double[] BigW, double Loss)> Run(Func<IEnumerable<Tensor>, SharpGrad.Optim.Optimizer> make, int steps, out Tensor w, out Tensor bigW)
    {
        (w, bigW) = Parameters();
        var optimizer = make([w, bigW]);
        var rows = new List<(double[], double[], double)>();
        for (int t = 0; t < steps; t++)
        {
            optimizer.ZeroGrad();
            var loss = Loss(w, bigW);
            loss.Backward();
            optimizer.Step();
            rows.Add((w.ToArray(), bigW.ToArray(), loss.Item()));
        }
        return rows;
    }
}
