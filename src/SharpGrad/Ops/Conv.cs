using System.Numerics;
using SharpGrad.Kernels;

namespace SharpGrad;

public static partial class F
{
    /// <summary>
    /// 2-D convolution as PyTorch and the assignment define it (a cross-correlation):
    /// O[n, o, i, j] = b[o] + Σ_c Σ_m Σ_n' X[n, c, s·i + d·m − p, s·j + d·n' − p] · W[o, c, m, n'],
    /// the sum over the input channels of o's group. <paramref name="input"/> is [N, C, H, W] (or [C, H, W]),
    /// <paramref name="weight"/> [O, C/groups, kH, kW], <paramref name="bias"/> [O] or null.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null,
        Size2? stride = null, Size2? padding = null, Size2? dilation = null, int groups = 1)
    {
        var args = ConvArgs.Create("Conv2d", stride, padding, dilation, groups);
        if (weight.Rank != 4)
            throw new ArgumentException($"Conv2d: weight must be 4-D [out_channels, in_channels/groups, kH, kW], got {Shapes.Format(weight.shape)}");
        if (input.Rank != 3 && input.Rank != 4)
            throw new ArgumentException($"Conv2d: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got {Shapes.Format(input.shape)}");
        if (input.Rank == 3) return Squeeze(Conv2d(Unsqueeze(input, 0), weight, bias, stride, padding, dilation, groups), 0);
        CheckConv("Conv2d", input, weight, bias, args);
        return Conv2dCore(input, weight, bias, args);
    }

    /// <summary>
    /// 1-D convolution (cross-correlation) on [N, C, L] (or [C, L]) with weight [O, C/groups, k]:
    /// O[n, o, i] = b[o] + Σ_c Σ_m X[n, c, s·i + d·m − p] · W[o, c, m]. Computed as a 2-D convolution of height 1.
    /// </summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        var args = ConvArgs.Create("Conv1d", (1, stride), (0, padding), (1, dilation), groups);
        if (weight.Rank != 3)
            throw new ArgumentException($"Conv1d: weight must be 3-D [out_channels, in_channels/groups, k], got {Shapes.Format(weight.shape)}");
        if (input.Rank != 2 && input.Rank != 3)
            throw new ArgumentException($"Conv1d: input must be 3-D [N, C, L] or 2-D [C, L], got {Shapes.Format(input.shape)}");
        if (input.Rank == 2) return Squeeze(Conv1d(Unsqueeze(input, 0), weight, bias, stride, padding, dilation, groups), 0);
        CheckConv("Conv1d", input, weight, bias, args);
        var o = Conv2dCore(Unsqueeze(input, 2), Unsqueeze(weight, 2), bias, args);
        return Squeeze(o, 2);
    }

    /// <summary>Dtypes, channels, groups, bias and kernel extent against the padded input; the message names the op and the shapes.</summary>
    static void CheckConv(string op, Tensor input, Tensor weight, Tensor? bias, ConvArgs args)
    {
        CheckSameDType(op, input, weight);
        if (bias is not null) CheckSameDType(op, input, bias);
        string shapes = $"input {Shapes.Format(input.shape)}, weight {Shapes.Format(weight.shape)}";
        int channels = input.shape[1], outChannels = weight.shape[0], perGroup = weight.shape[1], g = args.Groups;
        if (channels % g != 0)
            throw new ArgumentException($"{op}: groups {g} does not divide the input's {channels} channels ({shapes})");
        if (outChannels % g != 0)
            throw new ArgumentException($"{op}: groups {g} does not divide the weight's {outChannels} output channels ({shapes})");
        if (channels != perGroup * g)
            throw new ArgumentException(g == 1
                ? $"{op}: input {Shapes.Format(input.shape)} has {channels} channels, weight {Shapes.Format(weight.shape)} expects {perGroup}"
                : $"{op}: input {Shapes.Format(input.shape)} has {channels} channels, weight {Shapes.Format(weight.shape)} with groups {g} expects {perGroup * g} ({perGroup} per group)");
        if (bias is not null && (bias.Rank != 1 || bias.shape[0] != outChannels))
            throw new ArgumentException($"{op}: bias {Shapes.Format(bias.shape)} must be [{outChannels}], one per output channel of weight {Shapes.Format(weight.shape)}");
        bool is1d = input.Rank == 3;
        var spatial = is1d ? new[] { input.shape[2] } : new[] { input.shape[2], input.shape[3] };
        var kernel = is1d ? new[] { weight.shape[2] } : new[] { weight.shape[2], weight.shape[3] };
        var pad = is1d ? new[] { args.Padding.W } : new[] { args.Padding.H, args.Padding.W };
        var dil = is1d ? new[] { args.Dilation.W } : new[] { args.Dilation.H, args.Dilation.W };
        for (int a = 0; a < spatial.Length; a++)
        {
            int extent = dil[a] * (kernel[a] - 1) + 1, padded = spatial[a] + 2 * pad[a];
            if (extent > padded)
            {
                string k = string.Join("x", kernel), ek = string.Join("x", kernel.Select((kk, i) => dil[i] * (kk - 1) + 1));
                string p = string.Join("x", spatial.Select((n, i) => n + 2 * pad[i]));
                string dilNote = dil.Any(d => d != 1) ? $" (dilated: {ek})" : "";
                throw new ArgumentException($"{op}: kernel {k}{dilNote} is larger than the padded input {p} ({shapes}, padding {string.Join("x", pad)})");
            }
        }
    }

    /// <summary>The checked 4-D convolution: forward by im2col + GEMM; backward fast (GEMMs) or closed form (differentiable).</summary>
    static Tensor Conv2dCore(Tensor input, Tensor weight, Tensor? bias, ConvArgs args)
    {
        Tensor x, w, b;
        using (Autograd.NoGrad())
        {
            x = Contiguous(input);
            w = Contiguous(weight);
            b = bias is null ? Tensor.Empty([0], input.DType) : Contiguous(bias);
        }
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
        int outChannels = w.shape[0], kh = w.shape[2], kw = w.shape[3];
        var geometry = args.Geometry(c / args.Groups, h, wd, kh, kw);
        var o = Tensor.Empty([n, outChannels, geometry.OutH, geometry.OutW], x.DType);
        DTypeDispatch.Run(x.DType, new Conv2dForward(geometry, n, args.Groups, outChannels, x, w, b, o));

        Tensor[] inputs = bias is null ? [input, weight] : [input, weight, bias];
        return Autograd.Record("Conv2d", o, inputs, g =>
        {
            Tensor?[] grads;
            if (!Autograd.IsGradEnabled)
                grads = ConvGradients.ViaIm2Col(x, w, g, args, input.RequiresGrad, weight.RequiresGrad, bias?.RequiresGrad == true);
            else
                grads =
                [
                    input.RequiresGrad ? ConvGradients.InputGradClosedForm(weight, g, input.shape, args) : null,    // dL/dX = F ⊛ dL/dO
                    weight.RequiresGrad ? ConvGradients.WeightGradClosedForm(input, g, weight.shape, args) : null,  // dL/dF = X ⋆ dL/dO
                    bias?.RequiresGrad == true ? ConvGradients.BiasGrad(g) : null,                                  // dL/db = Σ dL/dO
                ];
            return bias is null ? grads[..2] : grads;
        }, x, w);
    }

    readonly record struct Conv2dForward(ConvGeometry Geometry, int N, int Groups, int OutChannels, Tensor X, Tensor W, Tensor B, Tensor O) : IDTypeAction
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            Conv2dKernel.Forward(Geometry, N, Groups, OutChannels, X.Memory<T>(), W.Memory<T>(), B.Memory<T>(), O.Memory<T>());
    }
}
