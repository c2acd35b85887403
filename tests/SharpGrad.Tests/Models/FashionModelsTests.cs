using System.Text.Json;
using SharpGrad.Models;
using SharpGrad.Tests.Golden;
using Xunit;

namespace SharpGrad.Tests.Models;

/// <summary>The zoo's Fashion-MNIST recipe models against the PyTorch peer's (bench/peers/fashion_recipe.py).</summary>
public class FashionModelsTests
{
    public static TheoryData<string> Names => GoldenFile.CaseNames("fashion_models.json", "model");

    [Theory]
    [MemberData(nameof(Names))]
    public void State_dict_and_parameter_count_match_the_pytorch_peer(string name)
    {
        // Expected: tools/golden/fashion_models.py, from the peer's torch modules (state_dict() and numel()).
        var golden = GoldenFile.Load("fashion_models.json")[name];
        var expected = golden.Raw.GetProperty("state_dict").EnumerateArray()
            .Select(e => (Name: e[0].GetString()!, Shape: e[1].EnumerateArray().Select(d => d.GetInt32()).ToArray()))
            .ToDictionary(e => e.Name, e => e.Shape);
        var model = ModelZoo.Create(name, new Generator(1));

        var actual = model.StateDict();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, shape) in expected)
            Assert.True(shape.SequenceEqual(actual[key].Shape.ToArray()), $"{name}.{key}: [{string.Join(", ", actual[key].Shape.ToArray())}], torch [{string.Join(", ", shape)}]");
        Assert.Equal(golden.Raw.GetProperty("parameters").GetInt64(), model.ParameterCount());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Output_is_one_logit_per_class_as_in_the_pytorch_peer(string name)
    {
        // Expected: the peer's output shape for the same input, from tools/golden/fashion_models.py.
        var golden = GoldenFile.Load("fashion_models.json")[name];
        int[] ShapeOf(string field) => golden.Raw.GetProperty(field).Deserialize<int[]>()!;
        var model = ModelZoo.Create(name, new Generator(1));
        model.Eval();

        var logits = model.Forward(Tensor.Zeros(ShapeOf("input_shape")));

        Assert.Equal(ShapeOf("output_shape"), logits.Shape.ToArray());
        Assert.All(logits.ToArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Vgg_widths_give_the_documented_parameter_counts()
    {
        // Closed form for width w (SmallVgg's doc): convs 9·(1·w + w·2w + 2w·2w + 2w·4w) = 9·(w + 14w²), BatchNorm 2·(w + 2w
        // + 2w + 4w) = 18w, 4w·9·256 + 256, 256·10 + 10; w = 32: 129 312 + 576 + 295 168 + 2 570 = 427 626.
        static long Count(long w) => 9 * (w + 14 * w * w) + 18 * w + (4 * w * 9 * 256 + 256) + (256 * 10 + 10);
        Assert.Equal(427_626, Count(32));
        Assert.Equal(Count(32), SmallVgg.Create(new Generator(1), width: 32).ParameterCount());
        Assert.Equal(Count(64), SmallVgg.Create(new Generator(1), width: 64).ParameterCount());
        Assert.Throws<ArgumentOutOfRangeException>(() => SmallVgg.Create(width: 0));
    }
}
