namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>A tensor from a rectangular array of any rank (<c>double[,]</c>, <c>float[,,]</c>, …); double gives Float64, float gives Float32.</summary>
    public static Tensor FromArray(Array data, bool requiresGrad = false)
    {
        var shape = new int[data.Rank];
        for (int d = 0; d < data.Rank; d++) shape[d] = data.GetLength(d);
        Array flat = data switch
        {
            float[] f => (float[])f.Clone(),
            double[] g => (double[])g.Clone(),
            _ when data.GetType().GetElementType() == typeof(float) => new float[data.Length],
            _ when data.GetType().GetElementType() == typeof(double) => new double[data.Length],
            _ => throw new ArgumentException($"FromArray: element type {data.GetType().GetElementType()} is not supported; use float or double"),
        };
        if (data.Rank > 1) Buffer.BlockCopy(data, 0, flat, 0, Buffer.ByteLength(data));
        return new Tensor(new Storage(flat), shape) { requiresGrad = requiresGrad };
    }

    /// <summary>A tensor of the given shape over a copy of flat row-major data.</summary>
    public static Tensor FromArray(double[] data, int[] shape, DType dtype = DType.Float64, bool requiresGrad = false)
    {
        CheckLength("FromArray", data.Length, shape);
        var t = new Tensor(new Storage(DTypeDispatch.Run<NewArray, Array>(dtype, new(data.Length))), (int[])shape.Clone()) { requiresGrad = requiresGrad };
        t.SetAll(data);
        return t;
    }

    /// <summary>A Float32 tensor of the given shape over a copy of flat row-major data.</summary>
    public static Tensor FromArray(float[] data, int[] shape, bool requiresGrad = false)
    {
        CheckLength("FromArray", data.Length, shape);
        return new Tensor(new Storage((float[])data.Clone()), (int[])shape.Clone()) { requiresGrad = requiresGrad };
    }

    static void CheckLength(string op, int length, int[] shape)
    {
        Shapes.CheckShape(op, shape);
        if (Shapes.Numel(shape) != length)
            throw new ArgumentException($"{op}: {length} values cannot fill shape {Shapes.Format(shape)} ({Shapes.Numel(shape)} elements)");
    }

    /// <summary>A rank-0 tensor holding one number.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, bool requiresGrad = false)
        => Full([], value, dtype, requiresGrad);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        Shapes.CheckShape("Full", shape);
        var t = new Tensor(Storage.Allocate(dtype, Shapes.Numel(shape)), (int[])shape.Clone()) { requiresGrad = requiresGrad };
        t.FillRaw(value);
        return t;
    }

    /// <summary>Zeros of the given shape.</summary>
    public static Tensor Zeros(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        Shapes.CheckShape("Zeros", shape);
        return new Tensor(Storage.Zeros(dtype, Shapes.Numel(shape)), (int[])shape.Clone()) { requiresGrad = requiresGrad };
    }

    /// <summary>Zeros of the given shape (Float32).</summary>
    public static Tensor Zeros(params int[] shape) => Zeros(shape, DType.Float32);

    /// <summary>Ones of the given shape.</summary>
    public static Tensor Ones(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false) => Full(shape, 1, dtype, requiresGrad);

    /// <summary>Ones of the given shape (Float32).</summary>
    public static Tensor Ones(params int[] shape) => Full(shape, 1, DType.Float32);

    /// <summary>Zeros with this tensor's shape and dtype.</summary>
    public Tensor ZerosLike() => Zeros(shape, DType);

    /// <summary>Ones with this tensor's shape and dtype.</summary>
    public Tensor OnesLike() => Ones(shape, DType);

    /// <summary>The n×n identity matrix.</summary>
    public static Tensor Eye(int n, DType dtype = DType.Float32)
    {
        var t = Zeros([n, n], dtype);
        for (int i = 0; i < n; i++) t.SetRaw(i * n + i, 1);
        return t;
    }

    /// <summary>Values start, start+step, … below end (like <c>torch.arange</c>).</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32)
    {
        if (step == 0 || double.IsNaN(step)) throw new ArgumentException($"Arange: step must be non-zero, got {step}");
        int n = Math.Max(0, (int)Math.Ceiling((end - start) / step));
        var t = Empty([n], dtype);
        for (int i = 0; i < n; i++) t.SetRaw(i, start + i * step);
        return t;
    }

    /// <summary>Values 0, 1, …, end−1.</summary>
    public static Tensor Arange(int end, DType dtype = DType.Float32) => Arange(0, end, 1, dtype);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive.</summary>
    public static Tensor Linspace(double start, double end, int steps, DType dtype = DType.Float32)
    {
        if (steps < 1) throw new ArgumentException($"Linspace: steps must be at least 1, got {steps}");
        var t = Empty([steps], dtype);
        for (int i = 0; i < steps; i++) t.SetRaw(i, steps == 1 ? start : start + (end - start) * i / (steps - 1));
        return t;
    }

    /// <summary>Standard normal samples, from <paramref name="generator"/> (or <see cref="Generator.Default"/>).</summary>
    public static Tensor Randn(int[] shape, Generator? generator = null, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        Shapes.CheckShape("Randn", shape);
        var g = generator ?? Generator.Default;
        var t = Empty((int[])shape.Clone(), dtype);
        for (int i = 0; i < t.Numel; i++) t.SetRaw(i, g.NextGaussian());
        t.requiresGrad = requiresGrad;
        return t;
    }

    /// <summary>Uniform samples in [low, high), from <paramref name="generator"/> (or <see cref="Generator.Default"/>).</summary>
    public static Tensor Rand(int[] shape, Generator? generator = null, DType dtype = DType.Float32, double low = 0, double high = 1, bool requiresGrad = false)
    {
        Shapes.CheckShape("Rand", shape);
        var g = generator ?? Generator.Default;
        var t = Empty((int[])shape.Clone(), dtype);
        for (int i = 0; i < t.Numel; i++) t.SetRaw(i, low + (high - low) * g.NextDouble());
        t.requiresGrad = requiresGrad;
        return t;
    }

    /// <summary>A copy converted to <paramref name="dtype"/> (the same tensor if it already is); differentiable.</summary>
    public Tensor To(DType dtype) => F.ToDType(this, dtype);

    /// <summary>A copy with its own storage; differentiable.</summary>
    public Tensor Clone() => F.Clone(this);
}
