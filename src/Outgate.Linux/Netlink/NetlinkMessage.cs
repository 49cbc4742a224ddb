namespace Outgate.Linux.Netlink;

/// <summary>One netlink message: its header and the payload after it (length already validated).</summary>
public readonly ref struct NetlinkMessage
{
    public readonly nlmsghdr Header;

    /// <summary>Bytes after the 16-byte header up to nlmsg_len (padding excluded).</summary>
    public readonly ReadOnlySpan<byte> Payload;

    /// <summary>Offset of the header within the buffer the reader was given.</summary>
    public readonly int Offset;

    public NetlinkMessage(nlmsghdr header, ReadOnlySpan<byte> payload, int offset)
    {
        Header = header;
        Payload = payload;
        Offset = offset;
    }

    public ushort Type => Header.nlmsg_type;
    public ushort Flags => Header.nlmsg_flags;
    public uint Sequence => Header.nlmsg_seq;
}
