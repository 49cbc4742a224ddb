using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Outgate.Linux.Packets;

/// <summary>
/// An IPv4 or IPv6 packet as NFQUEUE hands it over (IP header first): addresses, transport
/// protocol and the transport bytes (header and payload), cut to the length the IP header declares
/// and to what was copied. Read with <see cref="TryRead"/>: never throws, allocates nothing.
/// Addresses use <see cref="PacketFlow"/>'s encoding (big-endian value, IPv4 in the low 32 bits).
/// </summary>
/// <remarks>
/// Fragments are refused: a queued packet at the input hook is already reassembled by conntrack,
/// so a fragment here means no conntrack, and half a datagram is no DNS message. An IPv6 "atomic"
/// fragment header (offset 0, no more fragments) is walked over like any extension header.
/// Worked example: <c>45 00 00 50 ...</c> is IPv4, header 5 words = 20 bytes, total length 0x50 = 80,
/// so <see cref="Transport"/> is bytes 20..80 even when the span holds trailing padding.
/// </remarks>
public readonly ref struct IpPacket
{
    public AddressFamily Family { get; init; }

    /// <summary>Transport protocol (6 TCP, 17 UDP, ...), after IPv6 extension headers.</summary>
    public byte Protocol { get; init; }

    public UInt128 Source { get; init; }
    public UInt128 Destination { get; init; }

    /// <summary>Bytes before the transport header (IP header with options or extension headers).</summary>
    public int TransportOffset { get; init; }

    /// <summary>The transport header and its payload, up to the declared IP length or the end of the copy.</summary>
    public ReadOnlySpan<byte> Transport { get; init; }

    /// <summary>True when the IP header declares more bytes than were copied (copy range too small).</summary>
    public bool IsTruncated { get; init; }

    public bool IsIPv6 => Family == AddressFamily.InterNetworkV6;

    /// <summary>Builds the source address (allocates).</summary>
    public IPAddress SourceAddress => ToAddress(Source, IsIPv6);

    /// <summary>Builds the destination address (allocates).</summary>
    public IPAddress DestinationAddress => ToAddress(Destination, IsIPv6);

    /// <summary>Reads an IPv4 or IPv6 packet chosen by the version nibble; false for garbage, cut headers and fragments.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out IpPacket ip)
    {
        ip = default;
        if (packet.IsEmpty) return false;
        return (packet[0] >> 4) switch
        {
            4 => TryReadIPv4(packet, out ip),
            6 => TryReadIPv6(packet, out ip),
            _ => false,
        };
    }

    private static bool TryReadIPv4(ReadOnlySpan<byte> packet, out IpPacket ip)
    {
        ip = default;
        if (packet.Length < 20) return false;
        var headerLength = (packet[0] & 0x0F) * 4;
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (headerLength < 20 || headerLength > packet.Length || totalLength < headerLength) return false;
        if ((BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3FFF) != 0) return false; // MF set or offset != 0
        var end = Math.Min(totalLength, packet.Length);
        ip = new IpPacket
        {
            Family = AddressFamily.InterNetwork,
            Protocol = packet[9],
            Source = BinaryPrimitives.ReadUInt32BigEndian(packet[12..]),
            Destination = BinaryPrimitives.ReadUInt32BigEndian(packet[16..]),
            TransportOffset = headerLength,
            Transport = packet[headerLength..end],
            IsTruncated = totalLength > packet.Length,
        };
        return true;
    }

    private static bool TryReadIPv6(ReadOnlySpan<byte> packet, out IpPacket ip)
    {
        ip = default;
        if (packet.Length < 40) return false;
        var declared = 40 + BinaryPrimitives.ReadUInt16BigEndian(packet[4..]); // payload length 0 = jumbogram: not for DNS
        var end = Math.Min(declared, packet.Length);
        var next = packet[6];
        var offset = 40;
        for (var i = 0; i <= PacketParser.MaxExtensionHeaders; i++)
        {
            int length;
            switch (next)
            {
                case 0 or 43 or 60 or 135 or 139 or 140:
                    if (offset + 8 > end) return false;
                    length = (packet[offset + 1] + 1) * 8;
                    break;
                case 44:
                    if (offset + 8 > end) return false;
                    if ((BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]) & 0xFFF9) != 0) return false; // offset or M flag: a real fragment
                    length = 8;
                    break;
                case 51:
                    if (offset + 8 > end) return false;
                    length = (packet[offset + 1] + 2) * 4;
                    break;
                case 50 or 59:
                    return false;
                default:
                    ip = new IpPacket
                    {
                        Family = AddressFamily.InterNetworkV6,
                        Protocol = next,
                        Source = BinaryPrimitives.ReadUInt128BigEndian(packet[8..]),
                        Destination = BinaryPrimitives.ReadUInt128BigEndian(packet[24..]),
                        TransportOffset = offset,
                        Transport = packet[offset..end],
                        IsTruncated = declared > packet.Length,
                    };
                    return true;
            }
            next = packet[offset];
            offset += length;
            if (offset > end) return false;
        }
        return false;
    }

    internal static IPAddress ToAddress(UInt128 address, bool ipv6)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (ipv6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes, address);
            return new IPAddress(bytes);
        }
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)address);
        return new IPAddress(bytes[..4]);
    }
}
