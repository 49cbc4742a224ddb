using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Outgate.Linux.Packets;

/// <summary>
/// The flow identity of one IP packet: family, transport protocol, addresses, ports and TCP flags,
/// as plain values (no allocation). Addresses are stored as 128-bit big-endian numbers: an IPv4
/// address 10.1.0.2 is <c>0x0A010002</c> in the low 32 bits, an IPv6 address fills all 128 bits
/// (fd00::1 is <c>0xFD00_0000_..._0001</c>). <see cref="SourceAddress"/> and friends build an
/// <see cref="IPAddress"/> on demand (that allocates).
/// </summary>
public readonly struct PacketFlow : IEquatable<PacketFlow>
{
    /// <summary>InterNetwork or InterNetworkV6.</summary>
    public AddressFamily Family { get; init; }

    /// <summary>IP protocol number of the transport header (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...).</summary>
    public byte Protocol { get; init; }

    /// <summary>Source address, big-endian value (IPv4 in the low 32 bits).</summary>
    public UInt128 Source { get; init; }

    /// <summary>Destination address, big-endian value (IPv4 in the low 32 bits).</summary>
    public UInt128 Destination { get; init; }

    /// <summary>TCP/UDP/UDP-Lite/SCTP/DCCP source port; 0 for protocols without ports.</summary>
    public ushort SourcePort { get; init; }

    /// <summary>TCP/UDP/UDP-Lite/SCTP/DCCP destination port; for ICMP/ICMPv6 0.</summary>
    public ushort DestinationPort { get; init; }

    /// <summary>TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, ...); 0 for other protocols.</summary>
    public TcpFlags TcpFlags { get; init; }

    /// <summary>ICMP/ICMPv6 type and code (type in the high byte); 0 for other protocols.</summary>
    public ushort IcmpTypeCode { get; init; }

    /// <summary>Bytes of IP header (with IPv6 extension headers) before the transport header.</summary>
    public int TransportOffset { get; init; }

    public bool IsIPv6 => Family == AddressFamily.InterNetworkV6;

    /// <summary>A TCP SYN without ACK: the first packet of a new connection.</summary>
    public bool IsTcpSyn => Protocol == PacketParser.IPPROTO_TCP && (TcpFlags & (TcpFlags.Syn | TcpFlags.Ack)) == TcpFlags.Syn;

    public IPAddress SourceAddress => ToAddress(Source);
    public IPAddress DestinationAddress => ToAddress(Destination);
    public IPEndPoint SourceEndPoint => new(SourceAddress, SourcePort);
    public IPEndPoint DestinationEndPoint => new(DestinationAddress, DestinationPort);

    /// <summary>Writes an address value in network order: 4 bytes for IPv4, 16 for IPv6. Returns the length.</summary>
    public int WriteAddress(UInt128 address, Span<byte> destination)
    {
        if (IsIPv6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(destination, address);
            return 16;
        }
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)address);
        return 4;
    }

    private IPAddress ToAddress(UInt128 address)
    {
        Span<byte> bytes = stackalloc byte[16];
        var length = WriteAddress(address, bytes);
        return new IPAddress(bytes[..length]);
    }

    public bool Equals(PacketFlow other) =>
        Family == other.Family && Protocol == other.Protocol && Source == other.Source && Destination == other.Destination
        && SourcePort == other.SourcePort && DestinationPort == other.DestinationPort && TcpFlags == other.TcpFlags
        && IcmpTypeCode == other.IcmpTypeCode && TransportOffset == other.TransportOffset;

    public override bool Equals(object? obj) => obj is PacketFlow other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Family, Protocol, Source, Destination, SourcePort, DestinationPort, TcpFlags);
    public static bool operator ==(PacketFlow left, PacketFlow right) => left.Equals(right);
    public static bool operator !=(PacketFlow left, PacketFlow right) => !left.Equals(right);

    /// <summary>"tcp 10.1.0.1:40000 -> 10.1.0.2:80 [SYN]" or "tcp [fd00:1::1]:40000 -> ...".</summary>
    public override string ToString()
    {
        var name = Protocol switch { 6 => "tcp", 17 => "udp", 1 => "icmp", 58 => "icmpv6", 136 => "udplite", 132 => "sctp", _ => $"proto {Protocol}" };
        var (ports, v6) = (PacketParser.HasPorts(Protocol), IsIPv6);
        string Endpoint(IPAddress a, ushort port) => ports ? (v6 ? $"[{a}]:{port}" : $"{a}:{port}") : a.ToString();
        var text = $"{name} {Endpoint(SourceAddress, SourcePort)} -> {Endpoint(DestinationAddress, DestinationPort)}";
        if (Protocol == 6) text += $" [{TcpFlags}]";
        if (Protocol is 1 or 58) text += $" type {IcmpTypeCode >> 8} code {IcmpTypeCode & 0xFF}";
        return text;
    }
}
