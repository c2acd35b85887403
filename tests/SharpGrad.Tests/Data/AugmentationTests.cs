using SharpGrad.Cli;
using SharpGrad.Data.Transforms;
using SharpGrad.IO;
using SharpGrad.Tests.Reliability;
using Xunit;

namespace SharpGrad.Tests.Data;

/// <summary><c>sharpgrad train --augment LIST</c>: the list's grammar, the transforms it stands for, and the run that keeps it.</summary>
public sealed class AugmentationTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("sharpgrad-augment-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("crop", "crop4")]                 // crop alone pads by 4, as the peer's default (bench/peers/fashion_recipe.py)
    [InlineData(" crop2 , flip", "crop2,flip")]
    [InlineData("flip,erase,crop14", "flip,erase,crop14")]   // the order written is the order applied
    public void A_list_has_one_canonical_form(string given, string canonical) =>
        Assert.Equal((canonical, null), Augmentation.Normalize(given));

    [Theory]
    [InlineData("rotate", "'rotate' is not a transform")]
    [InlineData("crop0", "'crop0' is not a transform")]       // padding 1 to 14: 0 crops nothing, 15 could crop only padding
    [InlineData("crop15", "'crop15' is not a transform")]
    [InlineData("crop-2", "'crop-2' is not a transform")]
    [InlineData("flip,", "'' is not a transform")]
    [InlineData("flip,flip", "'flip' appears twice")]
    [InlineData("crop2,crop4", "'crop' appears twice")]
    public void A_bad_list_names_the_bad_item(string given, string message)
    {
        var (canonical, error) = Augmentation.Normalize(given);
        Assert.Null(canonical);
        Assert.Contains(message, error);
        Assert.StartsWith("--augment: ", error);
    }

    [Fact]
    public void The_list_stands_for_those_transforms_in_that_order()
    {
        Assert.Null(Augmentation.Create(""));
        var compose = Assert.IsType<Compose>(Augmentation.Create("crop2,flip,erase"));
        Assert.Collection(compose.Transforms,
            t => { var crop = Assert.IsType<RandomCrop>(t); Assert.Equal((28, 2), (crop.Size, crop.Padding)); },
            t => Assert.Equal(0.5, Assert.IsType<RandomHorizontalFlip>(t).P),
            t => Assert.Equal(0.5, Assert.IsType<RandomErasing>(t).P));   // torchvision's defaults
        Assert.Throws<ArgumentException>(() => Augmentation.Create("crop"));   // not canonical: crop4

        // Drawing from the same stream, the option's transform and the hand-built Compose give the same batch.
        var batch = Tensor.Rand([4, 1, 28, 28], new Generator(3));
        var expected = new Compose(new RandomCrop(28, padding: 2), new RandomHorizontalFlip(), new RandomErasing()).Apply(batch, new Generator(9));
        Assert.Equal(expected.ToArray(), compose.Apply(batch, new Generator(9)).ToArray());
    }

    [Fact]
    public void Train_keeps_the_list_in_the_checkpoint_applies_it_and_refuses_another_on_resume()
    {
        string data = CliProcess.TinyDataset(dir);
        CliResult Train(string outDir, params string[] more) =>
            CliProcess.Run(["train", "--data", data, "--out", Path.Combine(dir, outDir), "--batch", "16", "--epochs", "1", .. more]);
        string CheckpointIn(string outDir) => Path.Combine(dir, outDir, "checkpoint.safetensors");

        var plain = Train("plain");
        var augmented = Train("augmented", "--augment", "crop,flip");
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(augmented.ExitCode == 0, augmented.ToString());
        Assert.Contains("augment crop4,flip", augmented.Out);
        var a = Checkpoint.Load(CheckpointIn("plain"));
        var b = Checkpoint.Load(CheckpointIn("augmented"));
        Assert.False(a.Metadata.ContainsKey("augment"));
        Assert.Equal("crop4,flip", b.Metadata["augment"]);
        // Same seed, same batches: only the transforms can make the weights differ.
        Assert.Contains(a.Model, kv => !kv.Value.ToArray().SequenceEqual(b.Model[kv.Key].ToArray()));

        var other = CliProcess.Run(["train", "--data", data, "--out", Path.Combine(dir, "augmented"), "--resume", CheckpointIn("augmented"), "--epochs", "2", "--augment", "flip"]);
        Assert.True(other.ExitCode == 2, other.ToString());
        Assert.Contains("--augment flip differs from the checkpoint's crop4,flip", other.Error);
        // A run trained without augmentation names its list "none", not an empty string.
        var added = CliProcess.Run(["train", "--data", data, "--out", Path.Combine(dir, "plain"), "--resume", CheckpointIn("plain"), "--epochs", "2", "--augment", "flip"]);
        Assert.True(added.ExitCode == 2, added.ToString());
        Assert.Contains("--augment flip differs from the checkpoint's none;", added.Error);
        var same = CliProcess.Run(["train", "--data", data, "--out", Path.Combine(dir, "augmented"), "--resume", CheckpointIn("augmented"), "--epochs", "2", "--augment", "crop4,flip"]);
        Assert.True(same.ExitCode == 0, same.ToString());

        var bad = Train("bad", "--augment", "rotate");
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("'rotate' is not a transform", bad.Error);
    }
}
