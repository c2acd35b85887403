namespace SharpGrad;

/// <summary>
/// A sparse resampling matrix along one axis (how ONNX's Resize interpolates on it): output index j reads the input
/// indices Index[j·Taps + k] with weights Weight[j·Taps + k], plus Offset[j] when there is an offset (the extrapolation
/// value of a sample outside the input).
/// </summary>
internal sealed record ResampleMatrix(int InSize, int Taps, int[] Index, double[] Weight, double[]? Offset)
{
    /// <summary>The number of output indices.</summary>
    public int OutSize => Index.Length / Taps;

    /// <summary>Whether every output index j is input j with weight 1 and nothing added: the axis is left as it is.</summary>
    public bool IsIdentity => OutSize == InSize && Offset is null && Enumerable.Range(0, OutSize).All(j =>
    {
        var taps = Enumerable.Range(j * Taps, Taps).Where(t => Weight[t] != 0).ToList();
        return taps.Count == 1 && Weight[taps[0]] == 1 && Index[taps[0]] == j;
    });
}
