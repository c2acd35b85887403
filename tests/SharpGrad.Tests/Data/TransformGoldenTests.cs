using SharpGrad.Data.Transforms;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Data;

/// <summary>
/// RandomAffine's warp and Normalize against torchvision 0.14's functional <c>affine</c> and <c>normalize</c> with the
/// same parameters (tools/golden/transforms.py); compared exactly: affine moves values, normalize is float32 (x − m)/s.
/// </summary>
public class TransformGoldenTests
{
    const string File = "transforms.json";

    public static TheoryData<string> AffineCases => GoldenFile.CaseNames(File, "affine");
    public static TheoryData<string> NormalizeCases => GoldenFile.CaseNames(File, "normalize");

    static Tensor Input(GoldenCase c) => Tensor.FromArray(c.Inputs[0].ToFloat(), c.Inputs[0].Shape);

    [Theory]
    [MemberData(nameof(AffineCases))]
    public void AffineMatchesTorchvision(string name)
    {
        var c = GoldenFile.Load(File)[name];
        var x = Input(c);
        var moves = Enumerable.Repeat((c.ArgDouble("angle"), c.ArgInt("tx"), c.ArgInt("ty")), x.Shape[0]).ToArray();
        var y = RandomAffine.Warp(x, moves);
        Assert.Equal(c.Output.Shape, y.Shape);
        Assert.Equal(c.Output.Data, y.ToArray());
    }

    [Theory]
    [MemberData(nameof(NormalizeCases))]
    public void NormalizeMatchesTorchvision(string name)
    {
        var c = GoldenFile.Load(File)[name];
        double[] Values(string arg) => [.. c.Args.GetProperty(arg).EnumerateArray().Select(e => e.GetDouble())];
        var y = new Normalize(Values("mean"), Values("std")).Apply(Input(c), new Generator(0));
        Assert.Equal(c.Output.ToFloat(), y.ToFloatArray());   // the fixture's shortest float32 decimals, read back as float32
    }
}
