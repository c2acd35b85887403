using System.Numerics;

namespace SharpGrad;

/// <summary>
/// A computation written once for both element types. The struct carries its arguments (tensors, sizes); the
/// dispatch calls <c>Run&lt;float&gt;</c> or <c>Run&lt;double&gt;</c>, specialised by the JIT, no allocation.
/// </summary>
internal interface IDTypeAction
{
    void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A computation written once for both element types that returns a value; see <see cref="IDTypeAction"/>.</summary>
internal interface IDTypeFunc<out TResult>
{
    TResult Run<T>() where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// The one place that decides between float and double: ops, optimizers and tensors write their typed code once,
/// as an <see cref="IDTypeAction"/> or <see cref="IDTypeFunc{TResult}"/> struct, and call it through here.
/// </summary>
internal static class DTypeDispatch
{
    /// <summary>Runs <paramref name="action"/> with T = float for Float32, double for Float64.</summary>
    public static void Run<TAction>(DType dtype, TAction action) where TAction : struct, IDTypeAction
    {
        switch (dtype)
        {
            case DType.Float32: action.Run<float>(); break;
            case DType.Float64: action.Run<double>(); break;
            default: throw Unknown(dtype);
        }
    }

    /// <summary>Runs <paramref name="func"/> with T = float for Float32, double for Float64, and returns its value.</summary>
    public static TResult Run<TFunc, TResult>(DType dtype, TFunc func) where TFunc : struct, IDTypeFunc<TResult> => dtype switch
    {
        DType.Float32 => func.Run<float>(),
        DType.Float64 => func.Run<double>(),
        _ => throw Unknown(dtype),
    };

    static ArgumentOutOfRangeException Unknown(DType dtype) => new(nameof(dtype), dtype, "DType: not a supported element type");

}
