using System.Buffers.Binary;
using System.Text;

namespace SharpGrad.Tests.Reliability;

/// <summary>Files laid out by hand from each format's rules, for the reader, hole and fuzz tests.</summary>
static class FormatSamples
{
    /// <summary>An IDX file as MNIST lays it out: 0, 0, type (0x08: unsigned bytes), rank, big-endian dims, then the bytes.</summary>
    public static byte[] Idx(int[] dims, byte[] data, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>A safetensors file: u64 LE header length, the JSON header as given, the data section.</summary>
    public static byte[] Safetensors(string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }
}
