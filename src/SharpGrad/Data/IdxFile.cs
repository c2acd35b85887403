using System.Buffers.Binary;
using System.IO.Compression;

namespace SharpGrad.Data;

/// <summary>
/// One array in the IDX format used by MNIST and Fashion-MNIST (raw or <c>.gz</c>): a 4-byte magic number
/// (0, 0, type, rank), <c>rank</c> big-endian 32-bit dimensions, then the values. Only unsigned bytes (type 0x08)
/// are read, which is what every MNIST-format file holds.
/// </summary>
public sealed class IdxFile
{
    /// <summary>Type code of unsigned bytes, the only element type MNIST-format files use.</summary>
    public const byte UnsignedByte = 0x08;

    /// <summary>The largest data section accepted: a .NET byte array cannot hold more.</summary>
    public static readonly long MaxDataBytes = Array.MaxLength;

    /// <summary>The dimensions from the header, e.g. [60000, 28, 28].</summary>
    public int[] Dims { get; }

    /// <summary>The values, row-major, <c>Dims</c>' product of them.</summary>
    public byte[] Data { get; }

    // How far past the claimed size the reader counts surplus bytes before it stops reading.
    const long MaxSurplusCounted = 1 << 16;

    IdxFile(int[] dims, byte[] data) => (Dims, Data) = (dims, data);

    /// <summary>
    /// Reads <paramref name="path"/> (gzip-compressed when it ends in <c>.gz</c>) and checks it: the magic number,
    /// the rank (when <paramref name="expectedRank"/> is given), that the claimed size is one a program can hold,
    /// and that the file holds exactly the claimed number of values. Memory grows with the data actually read, so a
    /// header that lies about its size fails before a large allocation.
    /// </summary>
    public static IdxFile Read(string path, int? expectedRank = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX: file '{path}' does not exist", path);
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        return Read(stream, path, expectedRank);
    }

    /// <summary>
    /// Reads an IDX array from a stream (which may be a <see cref="GZipStream"/>); <paramref name="name"/> names it in
    /// error messages. Every malformed input, including a corrupt gzip stream, throws <see cref="IdxFormatException"/>.
    /// </summary>
    public static IdxFile Read(Stream stream, string name, int? expectedRank = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return ReadChecked(stream, name, expectedRank);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException($"IDX '{name}': not a valid gzip stream ({e.Message})", e);
        }
    }

    static IdxFile ReadChecked(Stream stream, string name, int? expectedRank)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = ReadFully(stream, magic);
        if (got < 4) throw new IdxFormatException($"IDX '{name}': truncated magic number: the file holds {got} bytes, the header needs 4");
        if (magic[0] != 0 || magic[1] != 0)
            throw new IdxFormatException($"IDX '{name}': bad magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8}: the first two bytes must be 0 (is it an IDX file? a .gz file must be named *.gz)");
        byte type = magic[2], rank = magic[3];
        if (type != UnsignedByte)
            throw new IdxFormatException($"IDX '{name}': magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8} has element type 0x{type:X2}; only unsigned bytes (0x08) are supported");
        if (rank == 0) throw new IdxFormatException($"IDX '{name}': magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8} claims rank 0");
        if (expectedRank is int r && rank != r)
            throw new IdxFormatException($"IDX '{name}': magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8} claims rank {rank}, expected {r} ({(r == 1 ? "labels" : "images")})");

        var header = new byte[4 * rank];
        got = ReadFully(stream, header);
        if (got < header.Length)
            throw new IdxFormatException($"IDX '{name}': truncated header: rank {rank} needs {header.Length} bytes of dimensions, the file holds {got}");
        var dims = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 * d));
            if (size > int.MaxValue) throw new IdxFormatException($"IDX '{name}': dimension {d} is {size}, more than {int.MaxValue}");
            dims[d] = (int)size;
        }
        // Checked 64-bit arithmetic: eight dimensions of 65536 multiply to 2¹²⁸, which even a 128-bit product wraps to 0.
        long claimed = 0;
        if (!dims.Contains(0))
            try
            {
                claimed = 1;
                foreach (int size in dims) claimed = checked(claimed * size);
            }
            catch (OverflowException)
            {
                throw new IdxFormatException($"IDX '{name}': header dimensions [{string.Join(", ", dims)}]: their product overflows 64 bits (a corrupt header?)");
            }
        if (claimed > MaxDataBytes)
            throw new IdxFormatException($"IDX '{name}': header claims dimensions [{string.Join(", ", dims)}] = {claimed} bytes of data, more than the {MaxDataBytes} this reader accepts (a corrupt header?)");

        // Grow the buffer as data arrives instead of trusting the header with one big allocation.
        long length = claimed;
        var data = new byte[Math.Min(length, 1 << 16)];
        long filled = 0;
        while (filled < length)
        {
            if (filled == data.Length) Array.Resize(ref data, (int)Math.Min(length, 2L * data.Length));
            int n = stream.Read(data, (int)filled, (int)(data.Length - filled));
            if (n == 0)
                throw new IdxFormatException($"IDX '{name}': truncated data: dimensions [{string.Join(", ", dims)}] claim {length} bytes, the file holds {filled}");
            filled += n;
        }
        // Count a surplus only up to a bound: a small .gz may inflate to gigabytes past what the header claims.
        Span<byte> sink = stackalloc byte[4096];
        long more = 0;
        for (int n; more <= MaxSurplusCounted && (n = stream.Read(sink)) > 0;) more += n;
        if (more > 0)
            throw new IdxFormatException(more > MaxSurplusCounted
                ? $"IDX '{name}': length mismatch: dimensions [{string.Join(", ", dims)}] claim {length} bytes of data, the file holds more than {length + MaxSurplusCounted} (reading stopped there)"
                : $"IDX '{name}': length mismatch: dimensions [{string.Join(", ", dims)}] claim {length} bytes of data, the file holds {length + more} ({more} left over)");
        return new IdxFile(dims, data);
    }

    static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        for (int n; total < buffer.Length && (n = stream.Read(buffer[total..])) > 0;) total += n;
        return total;
    }
}
