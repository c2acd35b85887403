using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>
/// The fused LSTM layer on contiguous spans: picks the <see cref="LstmRecurrence{T, TKernel}"/> variant of an
/// instruction set and pins the operands for it. The caller fixes the instruction set for a forward and its
/// backward together: it decides the column order of the saved gates.
/// </summary>
internal static unsafe class LstmLayerKernel
{
    /// <summary>
    /// Runs the layer over <paramref name="steps"/> steps: h_1 … h_T and c_T into <paramref name="ySpan"/>, and what the
    /// backward needs (the rows [x_t, h_{t−1}, 1], the gates, c_t and tanh c_t). Biases may be empty (no bias).
    /// </summary>
    public static void Forward<T>(KernelIsa isa, int steps, int batch, int inputSize, int hidden,
        ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh,
        ReadOnlySpan<T> h0Span, ReadOnlySpan<T> c0Span, Span<T> xhSpan, Span<T> gatesSpan, Span<T> cellsSpan, Span<T> tanhCellsSpan, Span<T> ySpan)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int B = batch, I = inputSize, H = hidden;
        fixed (T* x_ = x, wIh = weightIh, wHh = weightHh, bIh = biasIh, bHh = biasHh, h0 = h0Span, c0 = c0Span,
               xh = xhSpan, gates = gatesSpan, cells = cellsSpan, tanhCells = tanhCellsSpan, y = ySpan)
        {
            switch (isa)
            {
                case KernelIsa.Avx512 when typeof(T) == typeof(float):
                    LstmRecurrence<float, GemmMicroKernelAvx512Float>.Forward(steps, B, I, H, (float*)x_, (float*)wIh, (float*)wHh,
                        (float*)bIh, (float*)bHh, (float*)h0, (float*)c0, (float*)xh, (float*)gates, (float*)cells, (float*)tanhCells, (float*)y);
                    break;
                case KernelIsa.Avx512:
                    LstmRecurrence<double, GemmMicroKernelAvx512Double>.Forward(steps, B, I, H, (double*)x_, (double*)wIh, (double*)wHh,
                        (double*)bIh, (double*)bHh, (double*)h0, (double*)c0, (double*)xh, (double*)gates, (double*)cells, (double*)tanhCells, (double*)y);
                    break;
                case KernelIsa.Avx2 when typeof(T) == typeof(float):
                    LstmRecurrence<float, GemmMicroKernelAvx2Float>.Forward(steps, B, I, H, (float*)x_, (float*)wIh, (float*)wHh,
                        (float*)bIh, (float*)bHh, (float*)h0, (float*)c0, (float*)xh, (float*)gates, (float*)cells, (float*)tanhCells, (float*)y);
                    break;
                case KernelIsa.Avx2:
                    LstmRecurrence<double, GemmMicroKernelAvx2Double>.Forward(steps, B, I, H, (double*)x_, (double*)wIh, (double*)wHh,
                        (double*)bIh, (double*)bHh, (double*)h0, (double*)c0, (double*)xh, (double*)gates, (double*)cells, (double*)tanhCells, (double*)y);
                    break;
                default:
                    LstmRecurrence<T, GemmMicroKernelPortable<T>>.Forward(steps, B, I, H, x_, wIh, wHh, bIh, bHh, h0, c0, xh, gates, cells, tanhCells, y);
                    break;
            }
        }
    }

    /// <summary>
    /// The closed-form backward: BPTT, then one GEMM for all the weight gradients. <paramref name="dY"/> [T+1, B, H]
    /// holds dL/dh_t for every t and dL/dc_T; writes dL/dh0, dL/dc0 and those of dx, dW_ih, dW_hh, db (= db_ih = db_hh)
    /// whose spans are not empty.
    /// </summary>
    public static void Backward<T>(KernelIsa isa, int steps, int batch, int inputSize, int hidden, ReadOnlySpan<T> dY,
        ReadOnlySpan<T> gatesSpan, ReadOnlySpan<T> cellsSpan, ReadOnlySpan<T> tanhCellsSpan, ReadOnlySpan<T> c0Span,
        ReadOnlySpan<T> weightHh, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> xhSpan,
        Span<T> dh0, Span<T> dc0, Span<T> dx, Span<T> dWeightIh, Span<T> dWeightHh, Span<T> dBias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int B = batch, I = inputSize, H = hidden;
        using var dGatesScratch = Scratch<T>.Rent(steps * B * 4 * H);
        using var panelScratch = Scratch<T>.Rent((int)PanelLength(isa, typeof(T), steps, B, H));
        fixed (T* pdY = dY, gates = gatesSpan, cells = cellsSpan, tanhCells = tanhCellsSpan, c0 = c0Span, wHh = weightHh,
               wIh = weightIh, xh = xhSpan, dGates = dGatesScratch.Span, panels = panelScratch.Span, pdh0 = dh0, pdc0 = dc0,
               pdx = dx, pdWih = dWeightIh, pdWhh = dWeightHh, pdBias = dBias)
        {
            var p = new BackwardPointers(pdY, gates, cells, tanhCells, c0, wHh, wIh, xh, dGates, panels, pdh0, pdc0, pdx, pdWih, pdWhh, pdBias);
            switch (isa)
            {
                case KernelIsa.Avx512 when typeof(T) == typeof(float):
                    RunBackward<float, GemmMicroKernelAvx512Float>(steps, B, I, H, p);
                    break;
                case KernelIsa.Avx512:
                    RunBackward<double, GemmMicroKernelAvx512Double>(steps, B, I, H, p);
                    break;
                case KernelIsa.Avx2 when typeof(T) == typeof(float):
                    RunBackward<float, GemmMicroKernelAvx2Float>(steps, B, I, H, p);
                    break;
                case KernelIsa.Avx2:
                    RunBackward<double, GemmMicroKernelAvx2Double>(steps, B, I, H, p);
                    break;
                default:
                    RunBackward<T, GemmMicroKernelPortable<T>>(steps, B, I, H, p);
                    break;
            }
        }
    }

    // The backward's panel copy of dGates depends on the kernel's panel width.
    static long PanelLength(KernelIsa isa, Type type, int steps, int B, int H) => (isa, type == typeof(float)) switch
    {
        (KernelIsa.Avx512, true) => LstmRecurrence<float, GemmMicroKernelAvx512Float>.PanelLength(steps, B, H),
        (KernelIsa.Avx512, false) => LstmRecurrence<double, GemmMicroKernelAvx512Double>.PanelLength(steps, B, H),
        (KernelIsa.Avx2, true) => LstmRecurrence<float, GemmMicroKernelAvx2Float>.PanelLength(steps, B, H),
        (KernelIsa.Avx2, false) => LstmRecurrence<double, GemmMicroKernelAvx2Double>.PanelLength(steps, B, H),
        (_, true) => LstmRecurrence<float, GemmMicroKernelPortable<float>>.PanelLength(steps, B, H),
        _ => LstmRecurrence<double, GemmMicroKernelPortable<double>>.PanelLength(steps, B, H),
    };

    // The pinned operands of one backward, untyped so that one switch can hand them to the kernel variant.
    readonly struct BackwardPointers(void* dY, void* gates, void* cells, void* tanhCells, void* c0, void* wHh, void* wIh, void* xh,
        void* dGates, void* panels, void* dh0, void* dc0, void* dx, void* dWih, void* dWhh, void* dBias)
    {
        public readonly void* DY = dY, Gates = gates, Cells = cells, TanhCells = tanhCells, C0 = c0, WHh = wHh, WIh = wIh, Xh = xh,
            DGates = dGates, Panels = panels, Dh0 = dh0, Dc0 = dc0, Dx = dx, DWih = dWih, DWhh = dWhh, DBias = dBias;
    }

    static void RunBackward<T, TKernel>(int steps, int B, int I, int H, BackwardPointers p)
        where T : unmanaged, IFloatingPointIeee754<T> where TKernel : struct, IGemmMicroKernel<T>
    {
        LstmRecurrence<T, TKernel>.ThroughTime(steps, B, H, (T*)p.DY, (T*)p.Gates, (T*)p.Cells, (T*)p.TanhCells, (T*)p.C0, (T*)p.WHh,
            (T*)p.DGates, (T*)p.Panels, (T*)p.Dh0, (T*)p.Dc0);
        LstmRecurrence<T, TKernel>.Reduce(steps, B, I, H, (T*)p.DGates, (T*)p.Panels, (T*)p.Xh, (T*)p.WIh,
            (T*)p.DWih, (T*)p.DWhh, (T*)p.DBias, (T*)p.Dx);
    }
}
