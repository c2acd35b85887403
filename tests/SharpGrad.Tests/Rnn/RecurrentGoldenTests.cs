using SharpGrad.Nn;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Rnn;

/// <summary>
/// Lstm, Rnn (tanh, relu) and Gru against PyTorch 1.13's nn.LSTM / nn.RNN / nn.GRU (tools/golden/rnn_ops.py: input 4,
/// hidden 5, 2 layers, batch 3, length 7, batch_first both ways): outputs, final states, and the gradient of
/// loss = Σ output·grad_output + Σ h_n·grad_h_n (+ Σ c_n·grad_c_n) for every parameter, the input, h0 and c0.
/// </summary>
public class RecurrentGoldenTests
{
    public static TheoryData<string> Cases => GoldenFile.CaseNames("rnn_ops.json");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var golden = GoldenFile.Load("rnn_ops.json")[name];
        var dtype = golden.IsFloat32 ? DType.Float32 : DType.Float64;
        // float32: the brief's 1e-5; float64: both sides are the same formulas in double, summed in different orders.
        double tol = golden.IsFloat32 ? 1e-5 : 1e-12;
        int inputSize = golden.ArgInt("input_size"), hidden = golden.ArgInt("hidden_size"), layers = golden.ArgInt("num_layers");
        bool batchFirst = golden.ArgBool("batch_first");
        Module module = golden.Op switch
        {
            "lstm" => new Lstm(inputSize, hidden, layers, batchFirst: batchFirst, dtype: dtype),
            "rnn" => new SharpGrad.Nn.Rnn(inputSize, hidden, layers, golden.ArgString("nonlinearity") == "relu" ? RnnNonlinearity.ReLU : RnnNonlinearity.Tanh,
                batchFirst: batchFirst, dtype: dtype),
            "gru" => new Gru(inputSize, hidden, layers, batchFirst: batchFirst, dtype: dtype),
            _ => throw new InvalidOperationException($"unknown op {golden.Op}"),
        };
        var parameters = golden.Tensors("params");
        Assert.Equal(parameters.Keys.Order(), module.StateDict().Keys.Order());   // PyTorch's names, no more, no fewer
        module.LoadStateDict(parameters.ToDictionary(kv => kv.Key, kv => ToTensor(kv.Value, dtype)));

        var x = ToTensor(golden.Tensor("input"), dtype, requiresGrad: true);
        var h0 = ToTensor(golden.Tensor("h0"), dtype, requiresGrad: true);
        bool isLstm = golden.Op == "lstm";
        var c0 = isLstm ? ToTensor(golden.Tensor("c0"), dtype, requiresGrad: true) : null;
        Tensor output, hN; Tensor? cN = null;
        if (module is Lstm lstm) (output, hN, cN) = lstm.Forward(x, (h0, c0!));
        else if (module is SharpGrad.Nn.Rnn rnn) (output, hN) = rnn.Forward(x, h0);
        else (output, hN) = ((Gru)module).Forward(x, h0);

        Check(golden, "output", output, tol);
        Check(golden, "h_n", hN, tol);
        if (isLstm) Check(golden, "c_n", cN!, tol);

        var loss = (output * ToTensor(golden.Tensor("grad_output"), dtype)).Sum() + (hN * ToTensor(golden.Tensor("grad_h_n"), dtype)).Sum();
        if (isLstm) loss = loss + (cN! * ToTensor(golden.Tensor("grad_c_n"), dtype)).Sum();
        loss.Backward();
        foreach (var (pname, p) in module.NamedParameters()) Check(golden, "grads." + pname, p.Grad!, tol);
        Check(golden, "grads.input", x.Grad!, tol);
        Check(golden, "grads.h0", h0.Grad!, tol);
        if (isLstm) Check(golden, "grads.c0", c0!.Grad!, tol);
    }

    static Tensor ToTensor(GoldenTensor t, DType dtype, bool requiresGrad = false) => Tensor.FromArray(t.Data, t.Shape, dtype, requiresGrad);

    static void Check(GoldenCase golden, string field, Tensor actual, double tol) =>
        GoldenAssert.Close(golden.Tensor(field), [.. actual.Shape], actual.ToArray(), atol: tol, rtol: tol, $"{golden.Name} {field}");
}
