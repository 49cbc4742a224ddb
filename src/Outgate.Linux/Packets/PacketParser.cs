using System.Buffers.Binary;
using System.Net.Sockets;

namespace Outgate.Linux.Packets;

/// <summary>
/// Parses the start of an IP packet as NFQUEUE hands it over (layer 3 first, often cut to the
/// copy range) into a <see cref="PacketFlow"/>. Allocation-free, never throws: malformed,
/// truncated or unsupported input returns false.
/// </summary>
/// <remarks>
/// IPv4: version/IHL byte <c>45</c> = version 4, 5 words (20 bytes) of header; protocol at offset
/// 9, source at 12, destination at 16; a fragment offset other than 0 means no transport header.
/// IPv6: fixed 40-byte header, next header at 6, source at 8, destination at 24; then a chain of
/// extension headers (hop-by-hop 0, routing 43, destination options 60, mobility 135, HIP 139,
/// shim6 140: length byte in 8-octet units not counting the first 8; fragment 44: 8 bytes; AH 51:
/// length in 4-octet units minus 2). ESP (50) and "no next header" (59) hide the transport.
/// Transport: TCP/UDP/UDP-Lite/SCTP/DCCP carry source and destination port in their first 4 bytes;
/// TCP flags are at byte 13; ICMP and ICMPv6 type and code are bytes 0 and 1.
/// </remarks>
public static class PacketParser
{
    public const byte IPPROTO_ICMP = 1;
    public const byte IPPROTO_TCP = 6;
    public const byte IPPROTO_UDP = 17;
    public const byte IPPROTO_DCCP = 33;
    public const byte IPPROTO_ICMPV6 = 58;
    public const byte IPPROTO_SCTP = 132;
    public const byte IPPROTO_UDPLITE = 136;

    /// <summary>Extension headers walked before giving up (a chain longer than this is treated as malformed).</summary>
    public const int MaxExtensionHeaders = 8;

    /// <summary>Parses an IPv4 or IPv6 packet, chosen by the version nibble.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out PacketFlow flow)
    {
        flow = default;
        if (packet.IsEmpty) return false;
        return (packet[0] >> 4) switch
        {
            4 => TryParseIPv4(packet, out flow),
            6 => TryParseIPv6(packet, out flow),
            _ => false,
        };
    }

    public static bool TryParseIPv4(ReadOnlySpan<byte> packet, out PacketFlow flow)
    {
        flow = default;
        if (packet.Length < 20 || packet[0] >> 4 != 4) return false;
        var headerLength = (packet[0] & 0x0F) * 4;
        if (headerLength < 20 || headerLength > packet.Length) return false;
        var fragmentOffset = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x1FFF;
        if (fragmentOffset != 0) return false; // a later fragment: no transport header
        var protocol = packet[9];
        return TryParseTransport(packet[headerLength..], protocol, out flow) && Finish(ref flow, AddressFamily.InterNetwork,
            BinaryPrimitives.ReadUInt32BigEndian(packet[12..]), BinaryPrimitives.ReadUInt32BigEndian(packet[16..]), headerLength);
    }

    public static bool TryParseIPv6(ReadOnlySpan<byte> packet, out PacketFlow flow)
    {
        flow = default;
        if (packet.Length < 40 || packet[0] >> 4 != 6) return false;
        var next = packet[6];
        var offset = 40;
        for (var i = 0; ; i++)
        {
            if (i > MaxExtensionHeaders) return false;
            int length;
            switch (next)
            {
                case 0 or 43 or 60 or 135 or 139 or 140:
                    if (offset + 8 > packet.Length) return false;
                    length = (packet[offset + 1] + 1) * 8;
                    break;
                case 44:
                    if (offset + 8 > packet.Length) return false;
                    if ((BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]) & 0xFFF8) != 0) return false; // not the first fragment
                    length = 8;
                    break;
                case 51:
                    if (offset + 8 > packet.Length) return false;
                    length = (packet[offset + 1] + 2) * 4;
                    break;
                case 50 or 59:
                    return false;
                default:
                    return TryParseTransport(packet[offset..], next, out flow) && Finish(ref flow, AddressFamily.InterNetworkV6,
                        BinaryPrimitives.ReadUInt128BigEndian(packet[8..]), BinaryPrimitives.ReadUInt128BigEndian(packet[24..]), offset);
            }
            next = packet[offset];
            offset += length;
            if (offset > packet.Length) return false;
        }
    }

    /// <summary>True for protocols whose header starts with 16-bit source and destination ports.</summary>
    public static bool HasPorts(byte protocol) =>
        protocol is IPPROTO_TCP or IPPROTO_UDP or IPPROTO_UDPLITE or IPPROTO_SCTP or IPPROTO_DCCP;

    private static bool TryParseTransport(ReadOnlySpan<byte> transport, byte protocol, out PacketFlow flow)
    {
        flow = default;
        switch (protocol)
        {
            case IPPROTO_TCP:
                if (transport.Length < 14) return false;
                flow = new PacketFlow
                {
                    Protocol = protocol,
                    SourcePort = BinaryPrimitives.ReadUInt16BigEndian(transport),
                    DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(transport[2..]),
                    TcpFlags = (TcpFlags)transport[13],
                };
                return true;
            case IPPROTO_ICMP or IPPROTO_ICMPV6:
                if (transport.Length < 2) return false;
                flow = new PacketFlow { Protocol = protocol, IcmpTypeCode = BinaryPrimitives.ReadUInt16BigEndian(transport) };
                return true;
            default:
                if (HasPorts(protocol))
                {
                    if (transport.Length < 4) return false;
                    flow = new PacketFlow
                    {
                        Protocol = protocol,
                        SourcePort = BinaryPrimitives.ReadUInt16BigEndian(transport),
                        DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(transport[2..]),
                    };
                    return true;
                }
                flow = new PacketFlow { Protocol = protocol }; // GRE, ESP-less others: addresses only
                return true;
        }
    }

    private static bool Finish(ref PacketFlow flow, AddressFamily family, UInt128 source, UInt128 destination, int transportOffset)
    {
        flow = flow with { Family = family, Source = source, Destination = destination, TransportOffset = transportOffset };
        return true;
    }
}
