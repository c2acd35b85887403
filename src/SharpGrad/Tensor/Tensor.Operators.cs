namespace SharpGrad;

// Operators and method shorthands: each one is the F op of the same name.
public sealed partial class Tensor
{
#pragma warning disable CS1591 // the operators are documented by the F ops they call
    public static Tensor operator +(Tensor a, Tensor b) => F.Add(a, b);
    public static Tensor operator +(Tensor a, double b) => F.Add(a, F.ScalarLike(a, b));
    public static Tensor operator +(double a, Tensor b) => F.Add(F.ScalarLike(b, a), b);
    public static Tensor operator -(Tensor a, Tensor b) => F.Sub(a, b);
    public static Tensor operator -(Tensor a, double b) => F.Sub(a, F.ScalarLike(a, b));
    public static Tensor operator -(double a, Tensor b) => F.Sub(F.ScalarLike(b, a), b);
    public static Tensor operator *(Tensor a, Tensor b) => F.Mul(a, b);
    public static Tensor operator *(Tensor a, double b) => F.Mul(a, F.ScalarLike(a, b));
    public static Tensor operator *(double a, Tensor b) => F.Mul(F.ScalarLike(b, a), b);
    public static Tensor operator /(Tensor a, Tensor b) => F.Div(a, b);
    public static Tensor operator /(Tensor a, double b) => F.Div(a, F.ScalarLike(a, b));
    public static Tensor operator /(double a, Tensor b) => F.Div(F.ScalarLike(b, a), b);
    public static Tensor operator -(Tensor a) => F.Neg(a);
#pragma warning restore CS1591

    /// <summary><see cref="F.MatMul"/>.</summary>
    public Tensor MatMul(Tensor other) => F.MatMul(this, other);
    /// <summary><see cref="F.Pow(Tensor, double)"/>.</summary>
    public Tensor Pow(double p) => F.Pow(this, p);
    /// <summary><see cref="F.Exp"/>.</summary>
    public Tensor Exp() => F.Exp(this);
    /// <summary><see cref="F.Log"/>.</summary>
    public Tensor Log() => F.Log(this);
    /// <summary><see cref="F.Sqrt"/>.</summary>
    public Tensor Sqrt() => F.Sqrt(this);
    /// <summary><see cref="F.Abs"/>.</summary>
    public Tensor Abs() => F.Abs(this);
    /// <summary><see cref="F.Sigmoid"/>.</summary>
    public Tensor Sigmoid() => F.Sigmoid(this);
    /// <summary><see cref="F.Tanh"/>.</summary>
    public Tensor Tanh() => F.Tanh(this);
    /// <summary><see cref="F.ReLU"/>.</summary>
    public Tensor ReLU() => F.ReLU(this);
    /// <summary><see cref="F.Clamp"/>.</summary>
    public Tensor Clamp(double? min = null, double? max = null) => F.Clamp(this, min, max);
    /// <summary><see cref="F.Sum(Tensor)"/>.</summary>
    public Tensor Sum() => F.Sum(this);
    /// <summary><see cref="F.Sum(Tensor, int[], bool)"/>.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => F.Sum(this, dim, keepDim);
    /// <summary><see cref="F.Mean(Tensor)"/>.</summary>
    public Tensor Mean() => F.Mean(this);
    /// <summary><see cref="F.Mean(Tensor, int[], bool)"/>.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => F.Mean(this, dim, keepDim);
    /// <summary><see cref="F.Max(Tensor)"/>.</summary>
    public Tensor Max() => F.Max(this);
    /// <summary><see cref="F.Max(Tensor, int[], bool)"/>.</summary>
    public Tensor Max(int dim, bool keepDim = false) => F.Max(this, dim, keepDim);
    /// <summary><see cref="F.Min(Tensor)"/>.</summary>
    public Tensor Min() => F.Min(this);
    /// <summary><see cref="F.ArgMax"/>.</summary>
    public Tensor ArgMax(int dim, bool keepDim = false) => F.ArgMax(this, dim, keepDim);
    /// <summary><see cref="F.Reshape"/>.</summary>
    public Tensor Reshape(params int[] shape) => F.Reshape(this, shape);
    /// <summary><see cref="F.Reshape"/> (PyTorch's <c>view</c>).</summary>
    public Tensor View(params int[] shape) => F.Reshape(this, shape);
    /// <summary><see cref="F.Flatten"/>.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1) => F.Flatten(this, startDim, endDim);
    /// <summary><see cref="F.Permute"/>.</summary>
    public Tensor Permute(params int[] dims) => F.Permute(this, dims);
    /// <summary><see cref="F.Transpose"/>.</summary>
    public Tensor Transpose(int dim0, int dim1) => F.Transpose(this, dim0, dim1);
    /// <summary>The matrix transpose of a rank-2 tensor (PyTorch's <c>.T</c>).</summary>
    public Tensor T => Rank == 2 ? F.Transpose(this, 0, 1) : throw new InvalidOperationException($"T: expected a rank-2 tensor, got shape {Shapes.Format(shape)}; use Transpose or Permute");
    /// <summary><see cref="F.Unsqueeze"/>.</summary>
    public Tensor Unsqueeze(int dim) => F.Unsqueeze(this, dim);
    /// <summary><see cref="F.Squeeze"/>.</summary>
    public Tensor Squeeze(int? dim = null) => F.Squeeze(this, dim);
    /// <summary><see cref="F.Expand"/>.</summary>
    public Tensor Expand(params int[] shape) => F.Expand(this, shape);
    /// <summary><see cref="F.Slice"/>.</summary>
    public Tensor Slice(int dim, int start, int end, int step = 1) => F.Slice(this, dim, start, end, step);
    /// <summary><see cref="F.Select"/>.</summary>
    public Tensor Select(int dim, int index) => F.Select(this, dim, index);
    /// <summary><see cref="F.Contiguous"/>.</summary>
    public Tensor Contiguous() => F.Contiguous(this);
}
