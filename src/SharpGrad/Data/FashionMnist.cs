namespace SharpGrad.Data;

/// <summary>
/// Fashion-MNIST (or any folder in MNIST's IDX layout): 28×28 grey images in 10 classes, 60 000 for training and
/// 10 000 for testing. Debian's <c>dataset-fashion-mnist</c> package installs it in <see cref="DefaultDirectory"/>.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's dataset-fashion-mnist package puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Class names in label order (from the Fashion-MNIST README).</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Mean and std of the training pixels scaled to [0, 1] (0.2860, 0.3530, computed over the 60 000 training images).</summary>
    public static Normalization Normalization { get; } = new(0.2860, 0.3530);

    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>
    /// Loads both splits from <paramref name="directory"/> (default <see cref="DefaultDirectory"/>): images as
    /// [1, 28, 28] inputs with pixels scaled to [0, 1], labels 0..9. Each file may be raw or <c>.gz</c>.
    /// </summary>
    public static (TensorDataset Train, TensorDataset Test) Load(string? directory = null)
    {
        string dir = directory ?? DefaultDirectory;
        string[] stems = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];
        var paths = stems.Select(s => Find(dir, s)).ToArray();
        var missing = stems.Where((s, i) => paths[i] is null).ToArray();
        if (missing.Length > 0)
        {
            string where = Directory.Exists(dir) ? $"'{dir}' lacks {string.Join(", ", missing.Select(m => m + "[.gz]"))}" : $"directory '{dir}' does not exist";
            throw new DatasetNotFoundException(
                $"Fashion-MNIST not found: {where}. Install it with `sudo apt-get install dataset-fashion-mnist` " +
                $"(it goes to {DefaultDirectory}), or pass `--data DIR` naming a folder with MNIST-format IDX files " +
                "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz).");
        }
        return (Split(paths[0]!, paths[1]!, ImageSize), Split(paths[2]!, paths[3]!, ImageSize));
    }

    /// <summary>Height and width of every image, 28×28: what <see cref="Models.ModelZoo"/>'s models take.</summary>
    public static (int Height, int Width) ImageSize { get; } = (28, 28);

    static string? Find(string dir, string stem)
    {
        foreach (var name in new[] { stem + ".gz", stem })
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>
    /// Reads one split: an images file [N, H, W] and a labels file [N] whose counts must agree. N, H and W must be at
    /// least 1, and H×W must be <paramref name="imageSize"/> when it is given (what the model to be fed expects).
    /// </summary>
    public static TensorDataset Split(string imagesPath, string labelsPath, (int Height, int Width)? imageSize = null)
    {
        var images = IdxFile.Read(imagesPath, expectedRank: 3);
        int[] d = images.Dims;
        if (imageSize is var (h, w) && (d[1] != h || d[2] != w))
            throw new IdxFormatException($"IDX '{imagesPath}': images are [{string.Join(", ", d)}], expected [N, {h}, {w}]: the models take {h}×{w} images");
        if (d[1] == 0 || d[2] == 0)
            throw new IdxFormatException($"IDX '{imagesPath}': images are [{string.Join(", ", d)}]: an image needs at least 1×1 pixels");
        if (d[0] == 0)
            throw new IdxFormatException($"IDX '{imagesPath}': the split holds 0 images; an empty split cannot be trained on or evaluated");
        var labels = IdxFile.Read(labelsPath, expectedRank: 1);
        if (images.Dims[0] != labels.Dims[0])
            throw new IdxFormatException($"IDX: '{imagesPath}' holds {images.Dims[0]} images but '{labelsPath}' holds {labels.Dims[0]} labels");
        var y = new int[labels.Data.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = labels.Data[i];
            if (y[i] >= ClassCount) throw new IdxFormatException($"IDX '{labelsPath}': label {y[i]} at index {i} is outside 0..{ClassCount - 1}");
        }
        var x = new float[images.Data.Length];
        for (int i = 0; i < x.Length; i++) x[i] = images.Data[i] / 255f;
        return new TensorDataset(x, [1, images.Dims[1], images.Dims[2]], y, ClassCount);
    }
}
