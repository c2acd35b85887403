namespace SharpGrad.Nn;

/// <summary>Input and state checks shared by <see cref="Lstm"/>, <see cref="Rnn"/> and <see cref="Gru"/>.</summary>
internal static class RecurrentShapes
{
    /// <summary>The input as [T, B, in] (transposed when batch-first), or a clear error naming the module and the shape.</summary>
    public static Tensor TimeMajor(string module, Tensor input, int inputSize, bool batchFirst)
    {
        if (input.Rank != 3 || input.Shape[2] != inputSize || input.Shape[batchFirst ? 1 : 0] == 0)   // torch: an empty batch is fine, an empty sequence not
            throw new ArgumentException($"{module}: input must be {(batchFirst ? "[B, T, " : "[T, B, ")}{inputSize}] with T ≥ 1, got {Shapes.Format(input.shape)}");
        return batchFirst ? input.Transpose(0, 1) : input;
    }

    /// <summary>An initial state [layers, B, H] as given, or zeros when null.</summary>
    public static Tensor State(string module, string name, Tensor? state, int layers, int batch, int hidden, DType dtype)
    {
        if (state is null) return Tensor.Zeros([layers, batch, hidden], dtype);
        if (!Shapes.Equal(state.shape, [layers, batch, hidden]))
            throw new ArgumentException($"{module}: {name} must be [layers, B, H] = [{layers}, {batch}, {hidden}], got {Shapes.Format(state.shape)}");
        if (state.DType != dtype)
            throw new ArgumentException($"{module}: {name} is {state.DType.Name()}, the input {dtype.Name()}");
        return state;
    }
}
