namespace SharpGrad.Data;

/// <summary>
/// The copy-memory task of Arjovsky, Shah and Bengio (2016, after Hochreiter and Schmidhuber 1997): the input is
/// <c>copyLength</c> symbols drawn uniformly from 1 … 8, then <c>delay − 1</c> blanks (0), the delimiter 9, and
/// <c>copyLength</c> more blanks; the target is <c>delay + copyLength</c> blanks followed by the same symbols. Sequences
/// are delay + 2·copyLength long; symbols are one-hot over <see cref="Classes"/> = 10 classes.
/// </summary>
public static class CopyMemory
{
    /// <summary>Classes: 0 blank, 1 … 8 data symbols, 9 the delimiter.</summary>
    public const int Classes = 10;

    /// <summary>The blank symbol.</summary>
    public const int Blank = 0;

    /// <summary>The delimiter that asks for the copy.</summary>
    public const int Delimiter = 9;

    /// <summary>
    /// A batch: input [L, B, 10] one-hot ([B, L, 10] when <paramref name="batchFirst"/>), targets [L, B] (or [B, L]) class
    /// indices stored as numbers, with L = delay + 2·copyLength.
    /// </summary>
    public static (Tensor Input, Tensor Targets) Batch(int batchSize, int delay, Generator generator, int copyLength = 10,
        bool batchFirst = false, DType dtype = DType.Float32)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"CopyMemory: batch size must be at least 1, got {batchSize}");
        if (delay < 1) throw new ArgumentOutOfRangeException(nameof(delay), $"CopyMemory: delay must be at least 1, got {delay}");
        if (copyLength < 1) throw new ArgumentOutOfRangeException(nameof(copyLength), $"CopyMemory: copy length must be at least 1, got {copyLength}");
        ArgumentNullException.ThrowIfNull(generator);
        int length = delay + 2 * copyLength;
        var input = new double[length * batchSize * Classes];
        var targets = new double[length * batchSize];
        int Row(int t, int b) => batchFirst ? b * length + t : t * batchSize + b;
        for (int b = 0; b < batchSize; b++)
        {
            var symbols = new int[length];                                   // Blank everywhere else
            for (int k = 0; k < copyLength; k++)
            {
                int s = 1 + generator.NextInt(8);
                symbols[k] = s;
                targets[Row(delay + copyLength + k, b)] = s;
            }
            symbols[copyLength + delay - 1] = Delimiter;
            for (int t = 0; t < length; t++) input[Row(t, b) * Classes + symbols[t]] = 1;
        }
        int[] inShape = batchFirst ? [batchSize, length, Classes] : [length, batchSize, Classes];
        int[] outShape = batchFirst ? [batchSize, length] : [length, batchSize];
        return (Tensor.FromArray(input, inShape, dtype), Tensor.FromArray(targets, outShape, dtype));
    }

    /// <summary>
    /// Cross-entropy per step of the memoryless strategy: blanks for the first delay + copyLength steps, then uniform over the
    /// 8 symbols: copyLength·ln 8 / (delay + 2·copyLength).
    /// </summary>
    public static double BaselineCrossEntropy(int delay, int copyLength = 10) => copyLength * Math.Log(8) / (delay + 2 * copyLength);
}
