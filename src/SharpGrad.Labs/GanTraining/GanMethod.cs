using SharpGrad.Gan;

namespace SharpGrad.Labs.GanTraining;

/// <summary>The methods the mode-collapse benchmark compares.</summary>
public enum GanMethod
{
    /// <summary>The original minimax game, saturating generator loss (<see cref="MinimaxLoss"/>).</summary>
    Vanilla,
    /// <summary>Non-saturating generator loss (<see cref="NonSaturatingLoss"/>).</summary>
    NonSaturating,
    /// <summary>WGAN with weight clipping (<see cref="WganLoss"/>), 5 critic steps.</summary>
    Wgan,
    /// <summary>WGAN with gradient penalty (<see cref="WganGpLoss"/>), 5 critic steps.</summary>
    WganGp,
    /// <summary>PacGAN: the non-saturating GAN whose discriminator sees packs of m samples.</summary>
    PacGan,
}

/// <summary>Names and defaults of <see cref="GanMethod"/>.</summary>
public static class GanMethods
{
    /// <summary>Every method, in table order.</summary>
    public static IReadOnlyList<GanMethod> All { get; } = Enum.GetValues<GanMethod>();

    /// <summary>The snake_case name used in JSON and on the command line: vanilla, non_saturating, wgan, wgan_gp, pacgan.</summary>
    public static string JsonName(this GanMethod method) => method switch
    {
        GanMethod.Vanilla => "vanilla",
        GanMethod.NonSaturating => "non_saturating",
        GanMethod.Wgan => "wgan",
        GanMethod.WganGp => "wgan_gp",
        GanMethod.PacGan => "pacgan",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "GanMethods.JsonName: unknown method"),
    };

    /// <summary>The method with the given <see cref="JsonName"/>.</summary>
    public static GanMethod Parse(string name)
    {
        foreach (var m in All)
            if (m.JsonName() == name) return m;
        throw new ArgumentException($"GanMethods.Parse: unknown method '{name}'; expected one of {string.Join(", ", All.Select(x => x.JsonName()))}");
    }

    /// <summary>The objective of a method.</summary>
    public static GanLoss CreateLoss(this GanMethod method) => method switch
    {
        GanMethod.Vanilla => new MinimaxLoss(),
        GanMethod.NonSaturating or GanMethod.PacGan => new NonSaturatingLoss(),
        GanMethod.Wgan => new WganLoss(),
        GanMethod.WganGp => new WganGpLoss(),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "GanMethods.CreateLoss: unknown method"),
    };

    /// <summary>Critic updates per generator update: 5 for the Wasserstein methods (as in both papers), else 1.</summary>
    public static int CriticSteps(this GanMethod method) => method is GanMethod.Wgan or GanMethod.WganGp ? 5 : 1;
}
