using System.Buffers.Binary;
using System.Net;
using Outgate.Linux.Netlink;

namespace Outgate.Linux.SockDiag;

/// <summary>
/// Reads one struct inet_diag_msg and its attributes from the payload of a SOCK_DIAG_BY_FAMILY
/// reply. Pure: no I/O, so it runs on captured bytes. Throws only <see cref="NetlinkParseException"/>.
/// </summary>
/// <remarks>
/// Byte order: idiag_sport/idiag_dport and the addresses are network order, everything else is
/// host order. A TCP socket 127.0.0.1:8080 → 127.0.0.1:41000 starts
/// <c>02 01 00 00 | 1f 90 | a0 28 | 7f 00 00 01 00.. | 7f 00 00 01 00..</c>: family 2 (AF_INET),
/// state 1 (ESTABLISHED), sport 0x1f90 = 8080, dport 0xa028 = 41000, then 16 address bytes each
/// of which IPv4 uses the first 4. idiag_if at 40, idiag_cookie[2] at 44 (low word first),
/// expires 52, rqueue 56, wqueue 60, uid 64, inode 68; attributes from byte 72.
/// </remarks>
public readonly ref struct InetDiagMessageParser
{
    private readonly ReadOnlySpan<byte> _message;

    /// <summary>Attributes after the fixed header (validated lazily by <see cref="NetlinkAttributeReader"/>).</summary>
    public ReadOnlySpan<byte> Attributes { get; }

    /// <param name="payload">Payload of one netlink message (after the nlmsghdr).</param>
    /// <param name="offset">Offset of the payload in the datagram, for error messages.</param>
    public InetDiagMessageParser(ReadOnlySpan<byte> payload, int offset = 0)
    {
        if (payload.Length < inet_diag_msg.Size)
            NetlinkParseException.Throw($"inet_diag_msg truncated: {payload.Length} of {inet_diag_msg.Size} bytes", offset);
        var family = payload[0];
        if (family is not (SockDiagConstants.AF_INET or SockDiagConstants.AF_INET6))
            NetlinkParseException.Throw($"inet_diag_msg has idiag_family {family}, expected AF_INET (2) or AF_INET6 (10)", offset);
        _message = payload[..inet_diag_msg.Size];
        Attributes = payload[inet_diag_msg.Size..];
    }

    public byte Family => _message[0];
    public bool IsIPv6 => _message[0] == SockDiagConstants.AF_INET6;
    public SocketState State => (SocketState)_message[1];
    public byte Timer => _message[2];
    public byte Retransmits => _message[3];
    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_message[4..]);
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_message[6..]);

    /// <summary>4 bytes for AF_INET, 16 for AF_INET6, network order.</summary>
    public ReadOnlySpan<byte> SourceAddress => _message.Slice(8, IsIPv6 ? 16 : 4);
    public ReadOnlySpan<byte> DestinationAddress => _message.Slice(24, IsIPv6 ? 16 : 4);
    public uint InterfaceIndex => BinaryPrimitives.ReadUInt32LittleEndian(_message[40..]);

    /// <summary>idiag_cookie[0] | idiag_cookie[1] &lt;&lt; 32 (the kernel's sock cookie).</summary>
    public ulong Cookie => BinaryPrimitives.ReadUInt32LittleEndian(_message[44..]) | (ulong)BinaryPrimitives.ReadUInt32LittleEndian(_message[48..]) << 32;
    public uint Expires => BinaryPrimitives.ReadUInt32LittleEndian(_message[52..]);
    public uint ReceiveQueue => BinaryPrimitives.ReadUInt32LittleEndian(_message[56..]);
    public uint SendQueue => BinaryPrimitives.ReadUInt32LittleEndian(_message[60..]);
    public uint Uid => BinaryPrimitives.ReadUInt32LittleEndian(_message[64..]);
    public uint Inode => BinaryPrimitives.ReadUInt32LittleEndian(_message[68..]);

    /// <summary>
    /// TCP counters from INET_DIAG_INFO (struct tcp_info); null without the attribute or when it is
    /// too short to hold tcpi_rttvar. Byte counters missing from an older, shorter tcp_info read 0.
    /// BytesSent is tcpi_bytes_acked as the kernel reports it: on the connecting side it includes one for
    /// the acknowledged SYN (and one for an acknowledged FIN), exactly like <c>ss -i</c>'s bytes_acked.
    /// Unknown attributes are skipped.
    /// </summary>
    public TcpCounters? ReadTcpCounters()
    {
        if (!NetlinkAttributeReader.TryFind(Attributes, SockDiagConstants.INET_DIAG_INFO, out var info)
            || info.Length < SockDiagConstants.TcpInfoRttVarOffset + 4)
            return null;
        return new TcpCounters(
            BytesSent: ReadUInt64(info, SockDiagConstants.TcpInfoBytesAckedOffset),
            BytesReceived: ReadUInt64(info, SockDiagConstants.TcpInfoBytesReceivedOffset),
            RttMicroseconds: BinaryPrimitives.ReadUInt32LittleEndian(info[SockDiagConstants.TcpInfoRttOffset..]),
            RttVarMicroseconds: BinaryPrimitives.ReadUInt32LittleEndian(info[SockDiagConstants.TcpInfoRttVarOffset..]));
    }

    /// <summary>Validates all attributes (so a malformed tail fails here, not later).</summary>
    public int CountAttributes()
    {
        var reader = new NetlinkAttributeReader(Attributes);
        var count = 0;
        while (reader.TryRead(out _)) count++;
        return count;
    }

    /// <summary>Builds the public record; TCP counters are read only for <see cref="SocketProtocol.Tcp"/>.</summary>
    public SocketEntry ToSocketEntry(SocketProtocol protocol) =>
        new(protocol,
            ToAddress(SourceAddress, InterfaceIndex), SourcePort,
            ToAddress(DestinationAddress, InterfaceIndex), DestinationPort,
            State, Uid, Inode, InterfaceIndex,
            protocol == SocketProtocol.Tcp ? ReadTcpCounters() : null)
        {
            Cookie = Cookie,
            ReceiveQueue = ReceiveQueue,
            SendQueue = SendQueue,
        };

    private static ulong ReadUInt64(ReadOnlySpan<byte> info, int offset) =>
        info.Length >= offset + 8 ? BinaryPrimitives.ReadUInt64LittleEndian(info[offset..]) : 0;

    /// <summary>
    /// Wildcard addresses reuse the shared Any instances; IPv4-mapped IPv6 stays IPv6; an IPv6
    /// link-local address gets the socket's bound interface as its scope (fe80::1%2).
    /// </summary>
    private static IPAddress ToAddress(ReadOnlySpan<byte> bytes, uint interfaceIndex)
    {
        if (bytes.Length == 4)
            return BinaryPrimitives.ReadUInt32LittleEndian(bytes) == 0 ? IPAddress.Any : new IPAddress(bytes);
        if (bytes.IndexOfAnyExcept((byte)0) < 0) return IPAddress.IPv6Any;
        var linkLocal = bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80;
        return new IPAddress(bytes, linkLocal ? interfaceIndex : 0);
    }
}
