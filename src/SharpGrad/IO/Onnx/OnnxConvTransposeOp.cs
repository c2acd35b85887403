namespace SharpGrad.IO.Onnx;

internal static partial class OnnxOperators
{
    /// <summary>
    /// ConvTranspose (1-, 2- and 3-D): F.ConvTranspose{1,2,3}d without padding gives the full output s·(n − 1) + d·(k − 1) + 1
    /// per axis, from which ONNX's output is [pad_begin, pad_begin + size) with size = full + output_padding − pad_begin − pad_end
    /// (entries past the full output are zeros), then the bias. pads come from the attribute, or from output_shape /
    /// SAME auto_pad as total = full + output_padding − output size, split as ONNX defines.
    /// </summary>
    static OnnxKernel ConvTranspose(OnnxNode n)
    {
        var a = WindowAttributes.Read(n, kernelRequired: false, maxSpatial: 3);
        long group = n.Int("group", 1);
        if (group < 1 || group > int.MaxValue) throw n.Invalid($"group {group}");
        long[]? outputPadding = n.Ints("output_padding"), outputShape = n.Ints("output_shape");
        if (outputPadding?.Any(v => v < 0 || v > int.MaxValue) == true) throw n.Invalid($"output_padding [{string.Join(", ", outputPadding)}]");
        if (outputShape?.Any(v => v < 1 || v > int.MaxValue) == true) throw n.Invalid($"output_shape [{string.Join(", ", outputShape)}]");
        return x =>
        {
            var input = T(x, 0, n);
            var weight = T(x, 1, n);
            int d = input.Rank - 2;
            if (d < 1 || d > 3) throw new OnnxRuntimeException($"{n.Where}: input {Shapes.Format(input.shape)} must be [N, C] and 1 to 3 spatial dims");
            if (weight.Rank != input.Rank) throw new OnnxRuntimeException($"{n.Where}: weight {Shapes.Format(weight.shape)} does not match input {Shapes.Format(input.shape)}");
            var bias = Opt(x, 2)?.Tensor(n.Where);
            if ((a.Strides?.Length ?? d) != d || (a.Dilations?.Length ?? d) != d || (a.Pads?.Length ?? 2 * d) != 2 * d
                || (outputPadding?.Length ?? d) != d || (outputShape is not null && outputShape.Length < d) || (a.Kernel?.Length ?? d) != d)
                throw new OnnxRuntimeException($"{n.Where}: attributes do not match the input's {d} spatial dims");
            var stride = new int[d]; var dilation = new int[d]; var begin = new int[d]; var size = new int[d];
            for (int i = 0; i < d; i++)
            {
                int k = weight.Shape[2 + i], inSize = input.Shape[2 + i];
                if (a.Kernel is { } ks && ks[i] != k) throw new OnnxRuntimeException($"{n.Where}: kernel_shape [{string.Join(", ", ks)}] differs from the weight {Shapes.Format(weight.shape)}");
                int s = (int)(a.Strides?[i] ?? 1), dil = (int)(a.Dilations?[i] ?? 1), op = (int)(outputPadding?[i] ?? 0);
                int full = checked(s * (inSize - 1) + dil * (k - 1) + 1);
                int pb, pe;
                if (outputShape is not null || a.AutoPad is "SAME_UPPER" or "SAME_LOWER")
                {
                    int target = outputShape is not null ? (int)outputShape[outputShape.Length - d + i] : checked(inSize * s);
                    int total = full + op - target;
                    (pb, pe) = a.AutoPad == "SAME_LOWER" ? (total - total / 2, total / 2) : (total / 2, total - total / 2);
                }
                else if (a.AutoPad == "VALID") (pb, pe) = (0, 0);
                else (pb, pe) = ((int)(a.Pads?[i] ?? 0), (int)(a.Pads?[i + d] ?? 0));
                int outSize = full + op - pb - pe;
                if (pb < 0 || outSize < 1) throw new OnnxRuntimeException($"{n.Where}: output size {outSize} (pads {pb}, {pe}) does not fit the full output {full}");
                (stride[i], dilation[i], begin[i], size[i]) = (s, dil, pb, outSize);
            }
            int g = (int)group;
            var y = d switch
            {
                1 => F.ConvTranspose1d(input, weight, null, stride[0], 0, 0, g, dilation[0]),
                2 => F.ConvTranspose2d(input, weight, null, (stride[0], stride[1]), 0, 0, g, (dilation[0], dilation[1])),
                _ => F.ConvTranspose3d(input, weight, null, (stride[0], stride[1], stride[2]), 0, 0, g, (dilation[0], dilation[1], dilation[2])),
            };
            for (int i = 0; i < d; i++)
            {
                int dim = 2 + i, start = Math.Min(begin[i], y.Shape[dim]), kept = Math.Min(size[i], y.Shape[dim] - start);
                y = F.Slice(y, dim, start, start + kept);
                var pads = new int[2 * (d - i)];
                pads[^1] = size[i] - kept;   // output_padding past the full output: zeros after dim 2 + i
                if (pads[^1] > 0) y = F.Pad(y, pads);
            }
            if (bias is not null) y = y + F.Reshape(bias, [1, bias.Shape[0], .. Enumerable.Repeat(1, d)]);
            return One(y);
        };
    }
}
