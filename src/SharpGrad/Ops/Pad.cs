namespace SharpGrad;

/// <summary>How <see cref="F.Pad"/> fills the border (PyTorch's <c>mode</c>).</summary>
public enum PadMode
{
    /// <summary>A constant value.</summary>
    Constant,
    /// <summary>The mirror image without repeating the edge: …, x₂, x₁, [x₀, x₁, …].</summary>
    Reflect,
    /// <summary>The edge value repeated.</summary>
    Replicate,
    /// <summary>The other end of the dimension, as if it wrapped around.</summary>
    Circular,
}

public static partial class F
{
    /// <summary>
    /// Pads (or, with negative amounts, crops) the last dims as <c>torch.nn.functional.pad</c>: <paramref name="pads"/> is
    /// (left, right) for the last dim, then (top, bottom) for the one before, and so on.
    /// </summary>
    public static Tensor Pad(Tensor input, int[] pads, PadMode mode = PadMode.Constant, double value = 0)
    {
        if (pads.Length % 2 != 0 || pads.Length / 2 > input.Rank)
            throw new ArgumentException($"Pad: pads ({string.Join(", ", pads)}) must hold a (before, after) pair for each of at most {input.Rank} trailing dims of input {Shapes.Format(input.shape)}");
        if (mode != PadMode.Constant && value != 0)
            throw new ArgumentException($"Pad: a value ({value}) is only used in constant mode, not {mode}");
        var x = input;
        for (int k = 0; k < pads.Length / 2; k++)
        {
            int d = input.Rank - 1 - k, before = pads[2 * k], after = pads[2 * k + 1];
            int size = x.shape[d], outSize = size + before + after;
            if (outSize < 0)
                throw new ArgumentException($"Pad: padding ({before}, {after}) leaves dim {d} of input {Shapes.Format(input.shape)} with size {outSize}");
            if (before == 0 && after == 0) continue;
            x = mode == PadMode.Constant ? PadConstant(x, d, before, after, value) : PadByIndex(x, d, before, after, mode, input);
        }
        return x;
    }

    // Crop the negative sides, then join blocks of the value on the positive ones.
    static Tensor PadConstant(Tensor x, int d, int before, int after, double value)
    {
        x = Slice(x, d, Math.Max(0, -before), x.shape[d] - Math.Max(0, -after));
        if (before <= 0 && after <= 0) return x;
        var parts = new List<Tensor>();
        int[] BlockShape(int n) { var s = (int[])x.shape.Clone(); s[d] = n; return s; }
        if (before > 0) parts.Add(Tensor.Full(BlockShape(before), value, x.DType));
        parts.Add(x);
        if (after > 0) parts.Add(Tensor.Full(BlockShape(after), value, x.DType));
        return Cat(parts, d);
    }

    // Output position o reads input position i = o − before, mapped back inside [0, size) by the mode.
    static Tensor PadByIndex(Tensor x, int d, int before, int after, PadMode mode, Tensor input)
    {
        int size = x.shape[d];
        int limit = mode switch { PadMode.Reflect => size - 1, PadMode.Circular => size, _ => size == 0 ? -1 : int.MaxValue };
        if (before > limit || after > limit)
            throw new ArgumentException(mode == PadMode.Replicate
                ? $"Pad: replicate padding of dim {d} of input {Shapes.Format(input.shape)} needs a non-empty dim"
                : $"Pad: {mode.ToString().ToLowerInvariant()} padding ({before}, {after}) of dim {d} must be at most {limit} for input {Shapes.Format(input.shape)}");
        var index = new int[size + before + after];
        for (int o = 0; o < index.Length; o++)
        {
            int i = o - before;
            index[o] = mode switch
            {
                PadMode.Reflect => i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i,
                PadMode.Circular => ((i % size) + size) % size,
                _ => Math.Clamp(i, 0, size - 1),
            };
        }
        return IndexSelect("Pad", x, d, index, skipGrad: -1);
    }
}
