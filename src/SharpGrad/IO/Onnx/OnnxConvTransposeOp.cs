namespace SharpGrad.IO.Onnx;

internal static partial class OnnxOperators
{
    /// <summary>
    /// ConvTranspose (1-D and 2-D): F.ConvTranspose2d without padding gives the full output s·(n − 1) + d·(k − 1) + 1,
    /// from which ONNX's output is [pad_begin, pad_begin + size) with size = full + output_padding − pad_begin − pad_end
    /// (entries past the full output are zeros), then the bias. pads come from the attribute, or from output_shape /
    /// SAME auto_pad as total = full + output_padding − output size, split as ONNX defines.
    /// </summary>
    static OnnxKernel ConvTranspose(OnnxNode n)
    {
        var a = WindowAttributes.Read(n, kernelRequired: false, maxSpatial: 2);
        long group = n.Int("group", 1);
        if (group < 1 || group > int.MaxValue) throw n.Invalid($"group {group}");
        long[]? outputPadding = n.Ints("output_padding"), outputShape = n.Ints("output_shape");
        if (outputPadding?.Any(v => v < 0 || v > int.MaxValue) == true) throw n.Invalid($"output_padding [{string.Join(", ", outputPadding)}]");
        if (outputShape?.Any(v => v < 1 || v > int.MaxValue) == true) throw n.Invalid($"output_shape [{string.Join(", ", outputShape)}]");
        return x =>
        {
            if (T(x, 0, n).Rank == 5)   // SharpGrad has ConvTranspose1d/2d only
                throw new OnnxUnsupportedException($"{n.Where}: 3-D ConvTranspose is not supported (1-D and 2-D are)", n.OpType, n.Name, n.Opset);
            var (input, oneD) = As2d(T(x, 0, n), n);
            var weight = T(x, 1, n);
            if (weight.Rank != input.Rank - (oneD ? 1 : 0)) throw new OnnxRuntimeException($"{n.Where}: weight {Shapes.Format(weight.shape)} does not match input {Shapes.Format(input.shape)}");
            if (oneD) weight = F.Unsqueeze(weight, 2);
            var bias = Opt(x, 2)?.Tensor(n.Where);
            int d = oneD ? 1 : 2;
            if ((a.Strides?.Length ?? d) != d || (a.Dilations?.Length ?? d) != d || (a.Pads?.Length ?? 2 * d) != 2 * d
                || (outputPadding?.Length ?? d) != d || (outputShape is not null && outputShape.Length < d) || (a.Kernel?.Length ?? d) != d)
                throw new OnnxRuntimeException($"{n.Where}: attributes do not match the input's {d} spatial dims");
            var stride = new int[2]; var dilation = new int[2]; var begin = new int[2]; var size = new int[2];
            stride[0] = dilation[0] = size[0] = 1;
            for (int i = 0; i < d; i++)
            {
                int axis = i + 2 - d, k = weight.Shape[2 + axis], inSize = input.Shape[2 + axis];
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
                (stride[axis], dilation[axis], begin[axis], size[axis]) = (s, dil, pb, outSize);
            }
            var y = F.ConvTranspose2d(input, weight, null, (stride[0], stride[1]), 0, 0, (int)group, (dilation[0], dilation[1]));
            for (int axis = 0; axis < 2; axis++)
            {
                int dim = 2 + axis, kept = Math.Min(size[axis], y.Shape[dim] - begin[axis]);
                y = F.Slice(y, dim, begin[axis], begin[axis] + Math.Max(kept, 0));
                int extra = size[axis] - Math.Max(kept, 0);
                if (extra > 0) y = F.Pad(y, axis == 1 ? [0, extra] : [0, 0, 0, extra]);   // output_padding past the full output: zeros
            }
            if (bias is not null) y = y + F.Reshape(bias, 1, bias.Shape[0], 1, 1);
            return One(oneD ? F.Squeeze(y, 2) : y);
        };
    }
}
