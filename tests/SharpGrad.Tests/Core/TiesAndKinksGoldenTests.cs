using SharpGrad.Tests.Conv;
using SharpGrad.Tests.Golden;
using SharpGrad.Tests.Nn;
using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>
/// Ties and kinks against PyTorch 1.13 (tools/golden/ties_kinks.py → Golden/ties_kinks.json): max-pools 1-d/2-d/3-d
/// (overlapping windows included) and AdaptiveMaxPool2d on small integers, amax/amin and max/min with indices, Maxout,
/// and ReLU, LeakyReLU, Hardtanh, ReLU6 and Clamp exactly at their kinks with values on both sides. There the
/// gradient is PyTorch's choice: the first maximum in scan order, an even split for amax/amin, 0 or 1 at a bound.
/// Tolerances: 1e-10 in float64, 1e-5 in float32; indices exactly.
/// </summary>
public class TiesAndKinksGoldenTests
{
    const string File = "ties_kinks.json";

    public static TheoryData<string> Cases => GoldenFile.CaseNames(File);

    // Each op name is the one its own golden file uses, so the call is the one that file's test makes.
    static Func<Tensor[], Tensor> OpFor(GoldenCase c, DType dtype) => c.Op switch
    {
        "maxout" => x => F.Maxout(x[0], c.ArgInt("pieces")),
        "max_pool1d" or "max_pool2d" or "max_pool3d" => x => PoolingNdTests.Apply(c, x[0]),
        "adaptive_max_pool2d" => x => AdaptiveMaxPoolWithIndices(c, x[0]),
        "hardtanh" or "relu6" => ActivationGoldenTests.OpFor(c, dtype),
        "max_indices" or "min_indices" => NnLayersGoldenTests.OpFor(c, dtype),
        _ => GoldenOpsTests.OpFor(c),
    };

    static Tensor AdaptiveMaxPoolWithIndices(GoldenCase c, Tensor x)
    {
        var size = c.ArgInts("output_size");
        var (values, indices) = F.AdaptiveMaxPool2dWithIndices(x, (size[0], size[1]));
        Assert.Equal(c.ArgInts("indices").Select(i => (long)i), indices);   // torch's return_indices=True
        return values;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = GoldenFile.Load(File)[name];
        GoldenAssert.ForwardAndBackward(c, OpFor(c, c.IsFloat32 ? DType.Float32 : DType.Float64));   // 1e-10 in float64, 1e-5 in float32
    }
}
