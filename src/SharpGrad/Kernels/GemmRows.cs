namespace SharpGrad.Kernels;

/// <summary>A row count known to the JIT: micro-kernels are instantiated per count, so dead rows vanish.</summary>
internal interface IGemmRows
{
    /// <summary>How many rows of the tile to compute.</summary>
    static abstract int Count { get; }
}

/// <summary>1 row.</summary>
internal readonly struct GemmRows1 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 1;
}

/// <summary>2 rows.</summary>
internal readonly struct GemmRows2 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 2;
}

/// <summary>3 rows.</summary>
internal readonly struct GemmRows3 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 3;
}

/// <summary>4 rows.</summary>
internal readonly struct GemmRows4 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 4;
}

/// <summary>5 rows.</summary>
internal readonly struct GemmRows5 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 5;
}

/// <summary>6 rows.</summary>
internal readonly struct GemmRows6 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 6;
}

/// <summary>7 rows.</summary>
internal readonly struct GemmRows7 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 7;
}

/// <summary>8 rows.</summary>
internal readonly struct GemmRows8 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 8;
}

/// <summary>9 rows.</summary>
internal readonly struct GemmRows9 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 9;
}

/// <summary>10 rows.</summary>
internal readonly struct GemmRows10 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 10;
}

/// <summary>11 rows.</summary>
internal readonly struct GemmRows11 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 11;
}

/// <summary>12 rows.</summary>
internal readonly struct GemmRows12 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 12;
}

/// <summary>13 rows.</summary>
internal readonly struct GemmRows13 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 13;
}

/// <summary>14 rows.</summary>
internal readonly struct GemmRows14 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 14;
}
