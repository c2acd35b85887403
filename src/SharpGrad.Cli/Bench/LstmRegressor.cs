using SharpGrad.Nn;

namespace SharpGrad.Cli.Bench;

/// <summary>The lstm workload's model: an LSTM over a time-major sequence, then a linear head on its last step.</summary>
internal sealed class LstmRegressor : Module
{
    /// <summary>The recurrent layer (time-major input [T, B, in]).</summary>
    public Lstm Lstm { get; }
    /// <summary>hidden → outputs, on the last step.</summary>
    public Linear Head { get; }

    /// <summary>LSTM(inputs → hidden) and Linear(hidden → outputs), drawn from <paramref name="generator"/> in that order.</summary>
    public LstmRegressor(int inputs, int hidden, int outputs, Generator generator)
    {
        Lstm = RegisterModule("lstm", new Lstm(inputs, hidden, generator: generator));
        Head = RegisterModule("head", new Linear(hidden, outputs, generator: generator));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Head.Call(Lstm.Call(input).Select(0, input.Shape[0] - 1));
}
