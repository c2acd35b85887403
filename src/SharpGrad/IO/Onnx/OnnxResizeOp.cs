namespace SharpGrad.IO.Onnx;

internal static partial class OnnxOperators
{
    static readonly string[] ResizeModes = ["nearest", "linear", "cubic"];
    static readonly string[] CoordinateModes = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn", "tf_crop_and_resize"];
    static readonly string[] NearestModes = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"];

    /// <summary>
    /// Resize (opsets 11–17): per axis a sparse interpolation matrix (<see cref="ResampleMatrix"/>: each output index → input
    /// indices and weights) built as ONNX's reference implementation defines it, applied axis by axis from the last, as the
    /// reference nests its loops. <see cref="F.Resample"/> computes each; its backward is the transposed matrix.
    /// </summary>
    static OnnxKernel Resize(OnnxNode n)
    {
        if (n.Opset < 11) throw n.Unsupported("Resize-10 (it has no coordinate_transformation_mode; opset 11 on is)");
        var spec = new ResizeSpec(
            Attribute(n, "mode", "nearest", ResizeModes), Attribute(n, "coordinate_transformation_mode", "half_pixel", CoordinateModes),
            Attribute(n, "nearest_mode", "round_prefer_floor", NearestModes), n.Float("cubic_coeff_a", -0.75f), n.Int("exclude_outside", 0) != 0,
            n.Float("extrapolation_value", 0));
        return x =>
        {
            var input = T(x, 0, n);
            int rank = input.Rank;
            double[] roi = Opt(x, 1)?.AsDoubles() ?? [], scales = Opt(x, 2)?.AsDoubles() ?? [], sizes = Opt(x, 3)?.AsDoubles() ?? [];
            if ((scales.Length == 0) == (sizes.Length == 0))
                throw new OnnxRuntimeException($"{n.Where}: exactly one of scales ({scales.Length} values) and sizes ({sizes.Length}) must be given");
            if (Math.Max(scales.Length, sizes.Length) != rank)
                throw new OnnxRuntimeException($"{n.Where}: {(sizes.Length > 0 ? "sizes" : "scales")} has {Math.Max(scales.Length, sizes.Length)} values for input {Shapes.Format(input.shape)}");
            if (spec.Coordinates == "tf_crop_and_resize" && roi.Length != 2 * rank)
                throw new OnnxRuntimeException($"{n.Where}: tf_crop_and_resize needs roi with {2 * rank} values, got {roi.Length}");
            var plan = new (double scale, double length, int size)[rank];
            long total = 1;
            for (int axis = 0; axis < rank; axis++)
            {
                int inSize = input.Shape[axis];
                // The output length: sizes, or floor(in · scale) where the reference keeps in · scale itself for align_corners.
                double length = sizes.Length > 0 ? sizes[axis] : inSize * scales[axis];
                double scale = sizes.Length > 0 ? sizes[axis] / inSize : scales[axis];
                if (inSize == 0 || !(scale > 0) || !(length >= 1) || length > 1 << 28)
                    throw new OnnxRuntimeException($"{n.Where}: axis {axis} of input {Shapes.Format(input.shape)} cannot be resized to {length} (scale {scale})");
                plan[axis] = (scale, length, (int)Math.Floor(length));
                total *= plan[axis].size;
                if (total > 1 << 28) throw new OnnxRuntimeException($"{n.Where}: the resized shape of input {Shapes.Format(input.shape)} holds more than 2^28 elements");
            }
            var y = input;
            for (int axis = rank - 1; axis >= 0; axis--)
            {
                var (scale, length, size) = plan[axis];
                var m = spec.Matrix(input.Shape[axis], size, scale, length, roi.Length > 0 ? (roi[axis], roi[rank + axis]) : (0, 1));
                if (!m.IsIdentity) y = F.Resample(y, axis, m);
            }
            return One(y);
        };
    }

    static string Attribute(OnnxNode n, string name, string fallback, string[] allowed)
    {
        string v = n.Str(name, fallback);
        return allowed.Contains(v) ? v : throw n.Invalid($"{name} '{v}' (one of {string.Join(", ", allowed)})");
    }

    /// <summary>Resize's attributes, and the interpolation matrix they give one axis.</summary>
    internal sealed record ResizeSpec(string Mode, string Coordinates, string NearestMode, double CubicA, bool ExcludeOutside, double Extrapolation)
    {
        /// <summary>
        /// Output index j sits at x = the coordinate transformation of j in the input; its taps are the n input indices
        /// around x (ONNX's reference: i₀ = ⌈x⌉ − 1 and ratio r = x − i₀ ∈ (0, 1], so an integer x has r = 1), read with
        /// edge padding (indices clamped into the input).
        /// </summary>
        public ResampleMatrix Matrix(int inSize, int outSize, double scale, double length, (double Start, double End) roi)
        {
            int taps = Mode switch { "nearest" => 1, "linear" => 2, _ => 4 };
            var index = new int[outSize * taps];
            var weight = new double[outSize * taps];
            double[]? offset = null;
            var c = new double[taps];
            for (int j = 0; j < outSize; j++)
            {
                double x = Coordinate(j, inSize, scale, length, roi);
                if (Coordinates == "tf_crop_and_resize" && (x < 0 || x > inSize - 1))
                {
                    (offset ??= new double[outSize])[j] = Extrapolation;   // outside the crop box: the value itself, no taps
                    continue;
                }
                x = Math.Clamp(x, -4, inSize + 3);   // beyond, every tap reads the edge anyway; keeps ⌈x⌉ an int
                int i0 = (int)Math.Ceiling(x) - 1, first = taps == 4 ? i0 - 1 : i0;
                double r = x - i0;
                Coefficients(r, c, ref first);
                if (ExcludeOutside)
                {
                    double sum = 0;
                    for (int k = 0; k < taps; k++) sum += c[k] = first + k < 0 || first + k >= inSize ? 0 : c[k];
                    if (sum != 0) for (int k = 0; k < taps; k++) c[k] /= sum;
                }
                for (int k = 0; k < taps; k++)
                    (index[j * taps + k], weight[j * taps + k]) = (Math.Clamp(first + k, 0, inSize - 1), c[k]);
            }
            return new ResampleMatrix(inSize, taps, index, weight, offset);
        }

        // The coordinate in the input of output index j (ONNX's coordinate_transformation_mode).
        double Coordinate(int j, int inSize, double scale, double length, (double Start, double End) roi) => Coordinates switch
        {
            "half_pixel" => (j + 0.5) / scale - 0.5,
            "pytorch_half_pixel" => length == 1 ? -0.5 : (j + 0.5) / scale - 0.5,
            "align_corners" => length == 1 ? 0 : j * (inSize - 1.0) / (length - 1),
            "asymmetric" => j / scale,
            "tf_half_pixel_for_nn" => (j + 0.5) / scale,
            _ => (length == 1 ? (roi.End - roi.Start) * (inSize - 1) / 2 : j * (roi.End - roi.Start) * (inSize - 1) / (length - 1)) + roi.Start * (inSize - 1),
        };

        // The weights of the taps first, first + 1, …; nearest keeps the one tap it rounds to (moving first onto it).
        void Coefficients(double r, double[] c, ref int first)
        {
            switch (Mode)
            {
                case "nearest":
                    bool up = r == 1 || NearestMode switch { "round_prefer_floor" => r > 0.5, "round_prefer_ceil" => r >= 0.5, "floor" => false, _ => true };
                    if (up) first++;
                    c[0] = 1;
                    break;
                case "linear":
                    (c[0], c[1]) = (1 - r, r);
                    break;
                default:   // Keys' cubic convolution with a = cubic_coeff_a at distances 1 + r, r, 1 − r, 2 − r
                    double a = CubicA, s = 1 - r;
                    c[0] = ((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a;
                    c[1] = ((a + 2) * r - (a + 3)) * r * r + 1;
                    c[2] = ((a + 2) * s - (a + 3)) * s * s + 1;
                    c[3] = ((a * (s + 1) - 5 * a) * (s + 1) + 8 * a) * (s + 1) - 4 * a;
                    break;
            }
        }
    }
}
