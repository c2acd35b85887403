namespace SharpGrad.Data;

/// <summary>
/// The adding problem as Arjovsky, Shah and Bengio (Unitary Evolution RNNs, 2016) define it: each step carries two
/// channels, a value uniform in [0, 1] and a marker that is 1 at exactly two steps, one drawn uniformly from the first
/// half of the sequence and one from the second half, 0 elsewhere. The target is the sum of the two marked values.
/// Always answering 1 scores MSE = Var(U₁ + U₂) = 2·(1/12) = 1/6 (<see cref="BaselineMse"/>).
/// </summary>
public static class AddingProblem
{
    /// <summary>The MSE of always predicting 1, the expected sum: 1/6 ≈ 0.167.</summary>
    public const double BaselineMse = 1.0 / 6;

    /// <summary>
    /// A batch: input [T, B, 2] ([B, T, 2] when <paramref name="batchFirst"/>), channel 0 the values, channel 1 the markers;
    /// target [B, 1]. The first marker lies in steps 0 … ⌊T/2⌋−1, the second in ⌊T/2⌋ … T−1.
    /// </summary>
    public static (Tensor Input, Tensor Target) Batch(int batchSize, int length, Generator generator, bool batchFirst = false, DType dtype = DType.Float32)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"AddingProblem: batch size must be at least 1, got {batchSize}");
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), $"AddingProblem: length must be at least 2 (one marker per half), got {length}");
        ArgumentNullException.ThrowIfNull(generator);
        int half = length / 2;
        var input = new double[length * batchSize * 2];
        var target = new double[batchSize];
        int At(int t, int b, int channel) => ((batchFirst ? b * length + t : t * batchSize + b) * 2) + channel;
        for (int b = 0; b < batchSize; b++)
        {
            for (int t = 0; t < length; t++) input[At(t, b, 0)] = generator.NextDouble();
            int first = generator.NextInt(half), second = half + generator.NextInt(length - half);
            input[At(first, b, 1)] = 1;
            input[At(second, b, 1)] = 1;
            target[b] = input[At(first, b, 0)] + input[At(second, b, 0)];
        }
        int[] shape = batchFirst ? [batchSize, length, 2] : [length, batchSize, 2];
        return (Tensor.FromArray(input, shape, dtype), Tensor.FromArray(target, [batchSize, 1], dtype));
    }
}
