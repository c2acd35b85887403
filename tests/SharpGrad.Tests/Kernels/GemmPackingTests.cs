using System.Numerics;
using SharpGrad.Kernels;
using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>
/// <see cref="GemmPacking"/> called directly: every packed element against its definition (panel q holds element
/// (q·w + j, p) of the operand's block at q·w·kc + p·w + j, zero past the edge) for the float widths the AVX-512 kernel
/// packs in straight-line moves (14 for A, 32 for B), a width that takes the general copy (6), and double; from sources
/// whose padding columns are NaN (a read past a row shows) into destinations full of NaN (an element left unwritten shows).
/// </summary>
public class GemmPackingTests
{
    public static TheoryData<bool, bool, int, int> Cases()
    {
        var cases = new TheoryData<bool, bool, int, int>();
        foreach (bool packA in new[] { true, false })
            foreach (bool trans in new[] { false, true })
                foreach (int w in new[] { 14, 32, 6 })
                    foreach (int count in new[] { 3 * w, 2 * w + 5 })   // whole panels; an edge panel of 5
                        cases.Add(packA, trans, w, count);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryPackedElement_IsTheOperandsOrZero_Float(bool packA, bool trans, int w, int count) => Check<float>(packA, trans, w, count);

    [Theory]
    [InlineData(true, true, 14, 33)]
    [InlineData(false, false, 16, 37)]
    public void EveryPackedElement_IsTheOperandsOrZero_Double(bool packA, bool trans, int w, int count) => Check<double>(packA, trans, w, count);

    // The block starts at panel index 2 and depth 3; depth 21 = two groups of 8 rows and a remainder of 5.
    static unsafe void Check<T>(bool packA, bool trans, int w, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int first = 2, p0 = 3, kc = 21;
        // The operand as the kernel sees it, op(X): panel dimension (A's rows, B's columns) × depth, stored row-major
        // (or transposed) with 3 NaN columns of padding per stored row.
        int along = first + count + 2, depth = p0 + kc + 2;
        // Stored layouts: PackA reads op(A)[i, p] at a[i·ld + p], or a[p·ld + i] when transposed; PackB reads op(B)[p, j] at
        // b[p·ld + j], or b[j·ld + p] when transposed: the panel index runs along stored rows in A's plain and B's transposed cases.
        bool panelAlongRows = packA ? !trans : trans;
        int storedRows = panelAlongRows ? along : depth, storedCols = panelAlongRows ? depth : along, ld = storedCols + 3;
        var random = new Random(w * 100 + count);
        var src = new T[storedRows * ld];
        for (int r = 0; r < storedRows; r++)
            for (int c = 0; c < ld; c++)
                src[r * ld + c] = c < storedCols ? T.CreateTruncating(random.NextDouble() - 0.5) : T.NaN;
        T At(int i, int p) => panelAlongRows ? src[i * ld + p] : src[p * ld + i];

        int panels = (count + w - 1) / w;
        var dst = Enumerable.Repeat(T.NaN, panels * w * kc).ToArray();
        fixed (T* s = src, d = dst)
        {
            if (packA) GemmPacking.PackA(trans, s, ld, first, p0, count, kc, w, d);
            else GemmPacking.PackB(trans, s, ld, p0, first, kc, count, w, d);
        }
        for (int q = 0; q < panels; q++)
            for (int p = 0; p < kc; p++)
                for (int j = 0; j < w; j++)
                {
                    int i = q * w + j;
                    T expected = i < count ? At(first + i, p0 + p) : T.Zero;
                    Assert.True(dst[q * w * kc + p * w + j] == expected, $"panel {q}, depth {p}, lane {j}: {dst[q * w * kc + p * w + j]}, expected {expected}");
                }
    }
}
