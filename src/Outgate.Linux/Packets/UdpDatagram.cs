using System.Buffers.Binary;

namespace Outgate.Linux.Packets;

/// <summary>
/// A UDP header and its payload, read from <see cref="IpPacket.Transport"/>. The payload is cut to
/// the UDP length field (8 header bytes included) and to what is present. Never throws.
/// </summary>
public readonly ref struct UdpDatagram
{
    public ushort SourcePort { get; init; }
    public ushort DestinationPort { get; init; }

    /// <summary>The datagram's data (a DNS message for port 53).</summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>True when the length field promises more than was copied.</summary>
    public bool IsTruncated { get; init; }

    /// <summary>False when fewer than 8 bytes are present or the length field is below 8.</summary>
    public static bool TryRead(ReadOnlySpan<byte> transport, out UdpDatagram udp)
    {
        udp = default;
        if (transport.Length < 8) return false;
        var length = BinaryPrimitives.ReadUInt16BigEndian(transport[4..]);
        // Length 0 is legal only for IPv6 jumbograms; anything under the header size is garbage.
        if (length < 8) return false;
        var end = Math.Min(length, transport.Length);
        udp = new UdpDatagram
        {
            SourcePort = BinaryPrimitives.ReadUInt16BigEndian(transport),
            DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(transport[2..]),
            Payload = transport[8..end],
            IsTruncated = length > transport.Length,
        };
        return true;
    }
}
