namespace SharpGrad;

/// <summary>
/// The flat array behind one or more tensors (a tensor and its views share it), with the version counter
/// that lets autograd notice when a tensor saved for backward was changed in place.
/// </summary>
internal sealed class Storage
{
    public readonly Array Data;
    public readonly DType DType;
    public int Version;

    public Storage(Array data)
    {
        Data = data;
        DType = data switch
        {
            float[] => DType.Float32,
            double[] => DType.Float64,
            _ => throw new ArgumentException($"Storage: element type {data.GetType().GetElementType()} is not supported; use float or double"),
        };
    }

    public int Length => Data.Length;

    public static Storage Allocate(DType dtype, int length) => new(dtype == DType.Float32
        ? GC.AllocateUninitializedArray<float>(length)
        : GC.AllocateUninitializedArray<double>(length));

    public static Storage Zeros(DType dtype, int length) => new(dtype == DType.Float32 ? new float[length] : new double[length]);
}
