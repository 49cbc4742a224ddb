using System.Buffers.Binary;

namespace Outgate.Linux.Netlink;

/// <summary>
/// Walks a run of netlink attributes (struct nlattr + payload, each padded to 4 bytes). Every
/// nla_len is validated; the only exception thrown is <see cref="NetlinkParseException"/>. Each
/// step advances at least 4 bytes, so a zero or lying length cannot loop forever.
/// </summary>
/// <remarks>
/// Example: <c>05 00 04 00 63 00 00 00</c> is nla_len 5, nla_type 4,
/// one payload byte 0x63 and three padding bytes; the next attribute starts at offset 8.
/// </remarks>
public ref struct NetlinkAttributeReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _offset;

    public NetlinkAttributeReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _offset = 0;
    }

    /// <summary>Reads the next attribute; false at the end of the buffer.</summary>
    public bool TryRead(out NetlinkAttribute attribute)
    {
        var rest = _buffer[_offset..];
        if (rest.IsEmpty)
        {
            attribute = default;
            return false;
        }
        if (rest.Length < nlattr.Size)
            NetlinkParseException.Throw($"truncated netlink attribute header: {rest.Length} of {nlattr.Size} bytes", _offset);

        var length = BinaryPrimitives.ReadUInt16LittleEndian(rest);
        var type = BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]);
        if (length < nlattr.Size)
            NetlinkParseException.Throw($"nla_len {length} of attribute type {type & nlattr.NLA_TYPE_MASK} is smaller than the {nlattr.Size}-byte header", _offset);
        if (length > rest.Length)
            NetlinkParseException.Throw($"nla_len {length} of attribute type {type & nlattr.NLA_TYPE_MASK} exceeds the {rest.Length} bytes left", _offset);

        attribute = new NetlinkAttribute(type, rest[nlattr.Size..length]);
        _offset += Math.Min(NetlinkConstants.Align(length), rest.Length);
        return true;
    }

    /// <summary>Finds the first attribute of <paramref name="type"/>; validates everything before it.</summary>
    public static bool TryFind(ReadOnlySpan<byte> attributes, ushort type, out ReadOnlySpan<byte> payload)
    {
        var reader = new NetlinkAttributeReader(attributes);
        while (reader.TryRead(out var attribute))
        {
            if (attribute.Type == type)
            {
                payload = attribute.Payload;
                return true;
            }
        }
        payload = default;
        return false;
    }
}
