namespace SharpGrad.Kernels;

/// <summary>
/// The gate column order inside the fused LSTM kernels. PyTorch stacks the gates [i | f | g | o], each H wide; here the
/// hidden units are cut into blocks of <paramref name="Width"/> (the GEMM micro-kernel's NR) and each block holds its
/// own four gates, [i f g o] of that block's units. So one block is a whole number of micro-kernel column tiles, and a
/// thread that owns a block owns every gate its units need: a step's GEMM and gate arithmetic split over threads by
/// block with no exchange between them. The order depends on the kernel, never on the thread count.
/// </summary>
/// <param name="Hidden">Hidden size H.</param>
/// <param name="Width">Units per block (the last block may be narrower).</param>
internal readonly record struct LstmGateBlocks(int Hidden, int Width)
{
    /// <summary>Number of blocks.</summary>
    public int Count => (Hidden + Width - 1) / Width;

    /// <summary>The first unit of block <paramref name="block"/>.</summary>
    public int FirstUnit(int block) => block * Width;

    /// <summary>Units in block <paramref name="block"/>.</summary>
    public int Units(int block) => Math.Min(Width, Hidden - block * Width);

    /// <summary>The first gate column of block <paramref name="block"/> (its i gate); its columns run 4·Units wide.</summary>
    public int FirstColumn(int block) => 4 * block * Width;

    /// <summary>The column of gate <paramref name="gate"/> (0..3 = i, f, g, o) of unit <paramref name="unit"/>.</summary>
    public int Column(int gate, int unit)
    {
        int block = unit / Width;
        return FirstColumn(block) + gate * Units(block) + unit - FirstUnit(block);
    }

    /// <summary>The first block of part <paramref name="part"/> when the blocks are split into <paramref name="parts"/> runs.</summary>
    public int FirstBlockOf(int part, int parts) => (int)((long)Count * part / parts);
}
