using SharpGrad.Data;
using Xunit;

namespace SharpGrad.Tests.Data;

/// <summary>The ready collate functions, values by hand.</summary>
public class CollateTests
{
    static Tensor Row(params float[] values) => Tensor.FromArray(values, [values.Length]);

    [Fact]
    public void ClassificationStacksInputsAndGathersLabels()
    {
        var items = new[] { (Row(1, 2), 0), (Row(3, 4), 2), (Row(5, 6), 1) };
        var batch = Collate.Classification(items, [7, 3, 5]);
        Assert.Equal(new[] { 3, 2 }, batch.Inputs.Shape);
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5, 6 }, batch.Inputs.ToArray());
        Assert.Equal(new[] { 0, 2, 1 }, batch.Labels);
        Assert.Equal(new[] { 7, 3, 5 }, batch.Indices);
    }

    [Fact]
    public void RegressionStacksScalarAndVectorTargets()
    {
        var scalar = Collate.Regression([(Row(1, 2), Tensor.Scalar(0.5)), (Row(3, 4), Tensor.Scalar(-1.5))], [0, 1]);
        Assert.Equal(new[] { 2 }, scalar.Targets.Shape);            // one scalar per example → [B]
        Assert.Equal(new[] { 0.5, -1.5 }, scalar.Targets.ToArray());
        Assert.Equal(new[] { 1.0, 2, 3, 4 }, scalar.Inputs.ToArray());
        var vector = Collate.Regression([(Row(1), Row(10, 20)), (Row(2), Row(30, 40))], [4, 2]);
        Assert.Equal(new[] { 2, 2 }, vector.Targets.Shape);
        Assert.Equal(new[] { 10.0, 20, 30, 40 }, vector.Targets.ToArray());
        Assert.Equal(new[] { 4, 2 }, vector.Indices);
    }

    /// <summary>Sequences [2, 1], [3, 1], [1, 1] holding 1 2 | 3 4 5 | 6.</summary>
    static Tensor[] Sequences() =>
        [Tensor.FromArray([1f, 2], [2, 1]), Tensor.FromArray([3f, 4, 5], [3, 1]), Tensor.FromArray([6f], [1, 1])];

    [Fact]
    public void PadSequencesBatchFirstPadsToTheLongestAndKeepsLengths()
    {
        var batch = Collate.PadSequences(batchFirst: true, paddingValue: -1)(Sequences(), [0, 1, 2]);
        Assert.Equal(new[] { 3, 3, 1 }, batch.Inputs.Shape);   // [B, T, 1], T = 3
        Assert.Equal(new[] { 1.0, 2, -1,  3, 4, 5,  6, -1, -1 }, batch.Inputs.ToArray());
        Assert.Equal(new[] { 2, 3, 1 }, batch.Lengths);
    }

    [Fact]
    public void PadSequencesTimeFirstPutsStepsOnTheFirstAxis()
    {
        // torch.nn.utils.rnn.pad_sequence(batch_first=False): [T, B, 1], row t holds step t of every sequence.
        var padded = Collate.PadSequence(Sequences(), batchFirst: false);
        Assert.Equal(new[] { 3, 3, 1 }, padded.Shape);
        Assert.Equal(new[] { 1.0, 3, 6,  2, 4, 0,  0, 5, 0 }, padded.ToArray());
    }

    [Fact]
    public void MismatchedItemsNameTheCollateAndTheItem()
    {
        var e = Assert.Throws<ArgumentException>(() => Collate.Classification([(Row(1, 2), 0), (Row(3), 1)], [0, 1]));
        Assert.Contains("Collate.Classification: item 1's input is [1] float32, item 0's is [2] float32", e.Message);
        var s = Assert.Throws<ArgumentException>(() => Collate.PadSequence([Tensor.FromArray([1f, 2], [1, 2]), Tensor.FromArray([1f], [1, 1])]));
        Assert.Contains("PadSequence: sequence 1 is [1, 1] float32, sequence 0 is [1, 2] float32", s.Message);
    }
}
