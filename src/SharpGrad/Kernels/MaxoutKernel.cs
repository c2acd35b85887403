using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>
/// Maxout over rows of z [R, P·U] with piece p of unit j at column p·U + j (pieces-major, so that each piece is a
/// contiguous run of U values and the max over pieces is an elementwise max of P vectors): o[r, j] = maxₚ z[r, p·U + j],
/// and the winning piece per output, as torch.max picks it: the first on ties, and a NaN beats every number (the first
/// NaN). The backward routes g to the winner.
/// </summary>
internal static class MaxoutKernel
{
    /// <summary>o [R, U] and the winning piece of each output, stored as a number in <paramref name="winner"/> [R, U].</summary>
    public static void Forward<T>(int rows, int units, int pieces, ReadOnlySpan<T> z, Span<T> o, Span<T> winner) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = pieces * units;
        for (int r = 0; r < rows; r++)
        {
            var zr = z.Slice(r * width, width);
            var or = o.Slice(r * units, units);
            var wr = winner.Slice(r * units, units);
            int j = 0;
            for (; j + Vector<T>.Count <= units; j += Vector<T>.Count)
            {
                var best = new Vector<T>(zr[j..]);
                var at = Vector<T>.Zero;
                for (int p = 1; p < pieces; p++)
                {
                    var v = new Vector<T>(zr[(p * units + j)..]);
                    // strictly greater, so the first piece wins ties; or NaN where the best is not yet
                    var better = Vector.GreaterThan(v, best) | Vector.AndNot(Vector.Equals(best, best), Vector.Equals(v, v));
                    best = Vector.ConditionalSelect(better, v, best);
                    at = Vector.ConditionalSelect(better, new Vector<T>(T.CreateTruncating(p)), at);
                }
                best.CopyTo(or[j..]);
                at.CopyTo(wr[j..]);
            }
            for (; j < units; j++)
            {
                T best = zr[j];
                int at = 0;
                for (int p = 1; p < pieces; p++)
                {
                    T v = zr[p * units + j];
                    if (v > best || (T.IsNaN(v) && !T.IsNaN(best))) { best = v; at = p; }
                }
                or[j] = best;
                wr[j] = T.CreateTruncating(at);
            }
        }
    }

    /// <summary>dz [R, P·U]: g [R, U] at each output's winning piece, 0 at the others (every element written).</summary>
    public static void Scatter<T>(int rows, int units, int pieces, ReadOnlySpan<T> g, ReadOnlySpan<T> winner, Span<T> dz) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = pieces * units;
        for (int r = 0; r < rows; r++)
        {
            var gr = g.Slice(r * units, units);
            var wr = winner.Slice(r * units, units);
            for (int p = 0; p < pieces; p++)
            {
                var dr = dz.Slice(r * width + p * units, units);
                var piece = new Vector<T>(T.CreateTruncating(p));
                int j = 0;
                for (; j + Vector<T>.Count <= units; j += Vector<T>.Count)
                    Vector.ConditionalSelect(Vector.Equals(new Vector<T>(wr[j..]), piece), new Vector<T>(gr[j..]), Vector<T>.Zero).CopyTo(dr[j..]);
                T pt = T.CreateTruncating(p);
                for (; j < units; j++) dr[j] = wr[j] == pt ? gr[j] : T.Zero;
            }
        }
    }

    /// <summary>o [R, U] = z [R, P·U] at each output's winning piece (the adjoint of <see cref="Scatter{T}"/>).</summary>
    public static void Gather<T>(int rows, int units, int pieces, ReadOnlySpan<T> z, ReadOnlySpan<T> winner, Span<T> o) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = pieces * units;
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < units; j++)
                o[r * units + j] = z[r * width + int.CreateTruncating(winner[r * units + j]) * units + j];
    }
}
