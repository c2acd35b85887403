namespace SharpGrad.Nn;

/// <summary>
/// Weight initialisation like <c>torch.nn.init</c>: each fills a tensor in place (outside autograd) and returns it.
/// For a weight [out, in, k...], fan_in = in·∏k and fan_out = out·∏k.
/// </summary>
public static class Init
{
    /// <summary>
    /// The gain PyTorch recommends for a nonlinearity: 1 for linear/conv/sigmoid, 5/3 for tanh, √2 for relu,
    /// √(2/(1+a²)) for leaky_relu with slope a (default 0.01), 3/4 for selu.
    /// </summary>
    public static double CalculateGain(string nonlinearity, double? param = null) => nonlinearity switch
    {
        "linear" or "identity" or "sigmoid" or "conv1d" or "conv2d" or "conv3d" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2),
        "leaky_relu" => Math.Sqrt(2 / (1 + Math.Pow(param ?? 0.01, 2))),
        "selu" => 0.75,
        _ => throw new ArgumentException($"Init.CalculateGain: unknown nonlinearity '{nonlinearity}' (linear, sigmoid, tanh, relu, leaky_relu, selu)"),
    };

    /// <summary>(fan_in, fan_out) of a weight of rank ≥ 2.</summary>
    public static (int FanIn, int FanOut) CalculateFans(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
            throw new ArgumentException($"Init: fan in and fan out need a tensor of rank ≥ 2, got shape {Shapes.Format(tensor.shape)}");
        int receptiveField = 1;
        for (int d = 2; d < tensor.Rank; d++) receptiveField *= tensor.shape[d];
        return (tensor.shape[1] * receptiveField, tensor.shape[0] * receptiveField);
    }

    /// <summary>U(low, high).</summary>
    public static Tensor Uniform_(Tensor tensor, double low = 0, double high = 1, Generator? generator = null)
    {
        if (!(low <= high)) throw new ArgumentException($"Init.Uniform_: low {low} must not exceed high {high}");
        return Fill(tensor, Tensor.Rand([.. tensor.shape], generator, tensor.DType, low, high));
    }

    /// <summary>N(mean, std²).</summary>
    public static Tensor Normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        if (!(std >= 0)) throw new ArgumentException($"Init.Normal_: std must be ≥ 0, got {std}");
        return Fill(tensor, Tensor.Randn([.. tensor.shape], generator, tensor.DType) * std + mean);
    }

    /// <summary>Every element ← value.</summary>
    public static Tensor Constant_(Tensor tensor, double value)
    {
        using (Autograd.NoGrad()) return tensor.Fill_(value);
    }

    /// <summary>Every element ← 0.</summary>
    public static Tensor Zeros_(Tensor tensor) => Constant_(tensor, 0);

    /// <summary>Every element ← 1.</summary>
    public static Tensor Ones_(Tensor tensor) => Constant_(tensor, 1);

    /// <summary>Glorot: U(−a, a), a = gain·√(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        double a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform_(tensor, -a, a, generator);
    }

    /// <summary>Glorot: N(0, std²), std = gain·√(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        return Normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>He: U(−b, b), b = gain·√(3 / fan), gain = CalculateGain(nonlinearity, a).</summary>
    public static Tensor KaimingUniform_(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        double bound = Math.Sqrt(3.0) * KaimingStd(tensor, a, mode, nonlinearity);
        return Uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>He: N(0, std²), std = gain / √fan.</summary>
    public static Tensor KaimingNormal_(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, string nonlinearity = "leaky_relu", Generator? generator = null)
        => Normal_(tensor, 0, KaimingStd(tensor, a, mode, nonlinearity), generator);

    static double KaimingStd(Tensor tensor, double a, FanMode mode, string nonlinearity)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        int fan = mode == FanMode.FanIn ? fanIn : fanOut;
        if (fan == 0) throw new ArgumentException($"Init: Kaiming initialisation of an empty tensor {Shapes.Format(tensor.shape)}");
        return CalculateGain(nonlinearity, a) / Math.Sqrt(fan);
    }

    static Tensor Fill(Tensor tensor, Tensor values)
    {
        using (Autograd.NoGrad()) return tensor.Copy_(values);
    }
}
