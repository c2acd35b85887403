using SharpGrad.Kernels;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// The fused attention kernel where the op tests do not reach: its thread split's thresholds, and a double-precision
/// call whose score products have whole 32-column blocks (the shape the float-only unpacked products take), scores in
/// the thousands (e^s overflows double unless each row's maximum is subtracted first) and a mask that differs per
/// head. Expected values: softmax(Q·Kᵀ/√d + mask)·V evaluated here in double, row by row, with the maximum subtracted.
/// </summary>
[Collection(ThreadCountCollection.Name)]   // sets Threads.Count: must not overlap another test that does
public class AttentionKernelTests
{
    [Fact]
    public void Parts_AreOneBelow2To15MultiplyAdds_ElseOnePerThread_AtMostOnePerPair()
    {
        ThreadCountCollection.At(3, () =>
        {
            Assert.Equal(1, AttentionKernel.PartsFor(2, 2, 8, 16, 63));   // 32 256 multiply-adds
            Assert.Equal(3, AttentionKernel.PartsFor(2, 2, 8, 16, 64));   // 32 768: three threads, four pairs
            Assert.Equal(2, AttentionKernel.PartsFor(1, 2, 16, 32, 32));  // two pairs
            Assert.Equal(1, AttentionKernel.PartsFor(1, 1, 64, 64, 64));  // one pair
            return 0;
        });
        Assert.Equal(1, ThreadCountCollection.At(1, () => AttentionKernel.PartsFor(2, 2, 8, 16, 64)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // the mask a transposed view: its columns (keys) l elements apart
    public void DoubleAttention_WithHugeScoresAndAMaskPerHead_MatchesTheFormula(bool transposedMask)
    {
        // [N = 1, H = 2, L = 3, d = 4] queries against S = 32 keys; q and k entries up to ±40, so scores reach thousands.
        const int heads = 2, l = 3, s = 32, d = 4;
        var random = new Random(21);
        double[] Draw(int count, double scale) => Enumerable.Range(0, count).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
        double[] q = Draw(heads * l * d, 40), k = Draw(heads * s * d, 40), v = Draw(heads * s * d, 1);
        // Head 0 unmasked; head 1 pushes every odd key down by 10⁴.
        double[] mask = Enumerable.Range(0, heads * l * s).Select(i => i / (l * s) == 1 && i % 2 == 1 ? -1e4 : 0).ToArray();
        var maskTensor = Tensor.FromArray(mask, [1, heads, l, s]);
        if (transposedMask)
        {
            var columns = new double[mask.Length];   // [1, heads, s, l]: mask[h, i, j] at (h, j, i)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < l; i++)
                    for (int j = 0; j < s; j++) columns[(h * s + j) * l + i] = mask[(h * l + i) * s + j];
            maskTensor = Tensor.FromArray(columns, [1, heads, s, l]).Transpose(2, 3);
        }
        var o = F.ScaledDotProductAttention(Tensor.FromArray(q, [1, heads, l, d]), Tensor.FromArray(k, [1, heads, s, d]),
            Tensor.FromArray(v, [1, heads, s, d]), maskTensor);

        var expected = new double[heads * l * d];
        double largest = 0;
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < l; i++)
            {
                var scores = new double[s];
                for (int j = 0; j < s; j++)
                {
                    double dot = 0;
                    for (int c = 0; c < d; c++) dot += q[(h * l + i) * d + c] * k[(h * s + j) * d + c];
                    scores[j] = dot / Math.Sqrt(d) + mask[(h * l + i) * s + j];
                }
                double max = scores.Max();
                largest = Math.Max(largest, max);
                var weights = scores.Select(x => Math.Exp(x - max)).ToArray();
                double total = weights.Sum();
                for (int j = 0; j < s; j++)
                    for (int c = 0; c < d; c++)
                        expected[(h * l + i) * d + c] += weights[j] / total * v[(h * s + j) * d + c];
            }
        Assert.True(largest > 710, $"the largest score, {largest}, must overflow e^x in double");
        var actual = o.ToArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12, $"O[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    [Theory]
    [InlineData(DType.Float32, 1e-5)]
    [InlineData(DType.Float64, 1e-12)]
    public void QueriesPastOneBlockOfRows_MatchTheComposite_ForwardAndBackward(DType dtype, double tolerance)
    {
        // L = 70 queries: the softmax and its backward run their passes over blocks of 64 rows, so the last 6 are a block of
        // their own; S = 19 keys end in a tail. Expected: softmax(Q·Kᵀ/√d)·V in differentiable ops, and its gradients.
        var g = new Generator(22);
        Tensor Leaf(params int[] shape) => Tensor.Randn(shape, g, dtype, requiresGrad: true);
        var (q, k, v) = (Leaf(1, 2, 70, 8), Leaf(1, 2, 19, 8), Leaf(1, 2, 19, 8));
        var upstream = Tensor.Randn([1, 2, 70, 8], g, dtype);
        var fused = F.ScaledDotProductAttention(q, k, v);
        var composite = F.MatMul(F.Softmax(F.MatMul(q, k.Transpose(2, 3)) / Math.Sqrt(8), 3), v);
        Assert.Equal(composite.ToArray(), fused.ToArray(), (a, b) => Math.Abs(a - b) <= tolerance);
        var fusedGrads = Autograd.Grad([F.Sum(fused * upstream)], [q, k, v]);
        var compositeGrads = Autograd.Grad([F.Sum(composite * upstream)], [q, k, v]);
        for (int i = 0; i < 3; i++)
            Assert.Equal(compositeGrads[i]!.ToArray(), fusedGrads[i]!.ToArray(), (a, b) => Math.Abs(a - b) <= 10 * tolerance);
    }
}
