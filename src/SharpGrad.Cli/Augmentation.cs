using System.Globalization;
using SharpGrad.Data.Transforms;

namespace SharpGrad.Cli;

/// <summary>
/// The <c>--augment</c> list of <c>sharpgrad train</c>: comma-separated transforms applied, in the order written, to each
/// training batch of pixels/255 before the normalisation: <c>crop</c>P (zero-pad by P pixels, default 4, then crop
/// 28×28 at a random place), <c>flip</c> (mirror left to right with probability 1/2), <c>erase</c> (torchvision's
/// RandomErasing defaults, value 0). The same names as bench/peers/fashion_recipe.py's <c>--augment</c>.
/// </summary>
public static class Augmentation
{
    /// <summary>What --help says.</summary>
    public const string Help = "Comma-separated training-batch transforms, in order: cropP (zero-pad by P pixels, default 4, then a random 28×28 crop), flip (left-right, p = 0.5), erase (RandomErasing, p = 0.5); e.g. crop2,flip. Kept by --resume.";

    /// <summary>The list in canonical form ("crop" becomes "crop4"), or an error message naming the bad item.</summary>
    public static (string? Canonical, string? Error) Normalize(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var items = new List<string>();
        foreach (var raw in spec.Split(','))
        {
            string item = raw.Trim();
            string? name = item switch
            {
                "flip" or "erase" => item,
                "crop" => "crop4",
                _ when item.StartsWith("crop", StringComparison.Ordinal) && int.TryParse(item.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is >= 1 and <= 14 => $"crop{p}",
                _ => null,
            };
            if (name is null)
                return (null, $"--augment: '{item}' is not a transform; use cropP (P = 1 to 14 pixels of padding), flip or erase, e.g. crop2,flip");
            string kind = name.StartsWith("crop", StringComparison.Ordinal) ? "crop" : name;
            if (items.Any(i => i.StartsWith(kind, StringComparison.Ordinal)))
                return (null, $"--augment: '{kind}' appears twice in '{spec}'");
            items.Add(name);
        }
        return (string.Join(',', items), null);
    }

    /// <summary>The transform a canonical list stands for (null for an empty list), for 28×28 images.</summary>
    public static ITransform? Create(string canonical, int imageSize = 28)
    {
        if (canonical.Length == 0) return null;
        var (checkedSpec, error) = Normalize(canonical);
        if (error is not null || checkedSpec != canonical)
            throw new ArgumentException(error ?? $"Augmentation: '{canonical}' is not in canonical form ('{checkedSpec}')", nameof(canonical));
        return new Compose([.. canonical.Split(',').Select(item => item switch
        {
            "flip" => new RandomHorizontalFlip(),
            "erase" => (ITransform)new RandomErasing(),
            _ => new RandomCrop(imageSize, padding: int.Parse(item.AsSpan(4), CultureInfo.InvariantCulture)),
        })]);
    }
}
