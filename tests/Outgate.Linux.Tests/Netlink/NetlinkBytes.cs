using System.Buffers.Binary;

namespace Outgate.Linux.Tests.Netlink;

/// <summary>Builds netlink messages and attributes byte by byte for tests.</summary>
internal static class NetlinkBytes
{
    public static byte[] Message(ushort type, ushort flags, uint seq, ReadOnlySpan<byte> payload, bool pad = true, uint? lyingLength = null)
    {
        var length = 16 + payload.Length;
        var bytes = new byte[pad ? (length + 3) & ~3 : length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, lyingLength ?? (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), seq);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), 0);
        payload.CopyTo(bytes.AsSpan(16));
        return bytes;
    }

    public static byte[] Attribute(ushort type, ReadOnlySpan<byte> payload, bool pad = true, ushort? lyingLength = null)
    {
        var length = 4 + payload.Length;
        var bytes = new byte[pad ? (length + 3) & ~3 : length];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, lyingLength ?? (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), type);
        payload.CopyTo(bytes.AsSpan(4));
        return bytes;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] FromHexFile(string name) =>
        Convert.FromHexString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", name)).Trim());
}
