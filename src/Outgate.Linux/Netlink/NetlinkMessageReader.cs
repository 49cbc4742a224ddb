using System.Buffers.Binary;

namespace Outgate.Linux.Netlink;

/// <summary>
/// Walks the netlink messages in one received datagram. Every nlmsg_len is checked against the
/// header size and the bytes actually present; the only exception thrown is
/// <see cref="NetlinkParseException"/>. Each step advances at least 16 bytes, so it always ends.
/// </summary>
/// <remarks>
/// Layout (host byte order, little-endian here): a 20-byte NLMSG_DONE reads
/// <c>14 00 00 00 | 03 00 | 02 00 | seq | pid | 00 00 00 00</c> = len 20, type 3, flags NLM_F_MULTI;
/// the next message starts at NLMSG_ALIGN(len).
/// </remarks>
public ref struct NetlinkMessageReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _offset;

    public NetlinkMessageReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _offset = 0;
    }

    /// <summary>Bytes not yet consumed.</summary>
    public readonly int Remaining => _buffer.Length - _offset;

    /// <summary>Reads the next message; false at the end of the buffer.</summary>
    public bool TryRead(out NetlinkMessage message)
    {
        var rest = _buffer[_offset..];
        if (rest.IsEmpty)
        {
            message = default;
            return false;
        }
        if (rest.Length < nlmsghdr.Size)
            NetlinkParseException.Throw($"truncated netlink header: {rest.Length} of {nlmsghdr.Size} bytes", _offset);

        var header = new nlmsghdr
        {
            nlmsg_len = BinaryPrimitives.ReadUInt32LittleEndian(rest),
            nlmsg_type = BinaryPrimitives.ReadUInt16LittleEndian(rest[4..]),
            nlmsg_flags = BinaryPrimitives.ReadUInt16LittleEndian(rest[6..]),
            nlmsg_seq = BinaryPrimitives.ReadUInt32LittleEndian(rest[8..]),
            nlmsg_pid = BinaryPrimitives.ReadUInt32LittleEndian(rest[12..]),
        };
        if (header.nlmsg_len < nlmsghdr.Size)
            NetlinkParseException.Throw($"nlmsg_len {header.nlmsg_len} is smaller than the {nlmsghdr.Size}-byte header", _offset);
        if (header.nlmsg_len > (uint)rest.Length)
            NetlinkParseException.Throw($"nlmsg_len {header.nlmsg_len} exceeds the {rest.Length} bytes left in the buffer", _offset);

        var length = (int)header.nlmsg_len;
        message = new NetlinkMessage(header, rest[nlmsghdr.Size..length], _offset);
        // The last message of a datagram may omit its padding.
        _offset += Math.Min(NetlinkConstants.Align(length), rest.Length);
        return true;
    }
}
