using System.Buffers.Binary;

namespace Outgate.Linux.Packets;

/// <summary>
/// A TCP header and its payload, read from <see cref="IpPacket.Transport"/> (which is already cut to
/// the IP length, so the payload is everything after the data offset). Never throws.
/// </summary>
/// <remarks>
/// Data offset is the high nibble of byte 12 in 32-bit words: <c>50</c> = 20 bytes (no options),
/// <c>80</c> = 32 bytes (timestamps). Flags are byte 13, sequence number bytes 4..8.
/// </remarks>
public readonly ref struct TcpSegment
{
    public ushort SourcePort { get; init; }
    public ushort DestinationPort { get; init; }

    /// <summary>Sequence number of the first payload byte (of the SYN itself when SYN is set).</summary>
    public uint SequenceNumber { get; init; }

    public TcpFlags Flags { get; init; }

    /// <summary>Stream data carried by this segment (possibly empty).</summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>False when the header is cut or its data offset is below 5 words or past the end.</summary>
    public static bool TryRead(ReadOnlySpan<byte> transport, out TcpSegment tcp)
    {
        tcp = default;
        if (transport.Length < 20) return false;
        var headerLength = (transport[12] >> 4) * 4;
        if (headerLength < 20 || headerLength > transport.Length) return false;
        tcp = new TcpSegment
        {
            SourcePort = BinaryPrimitives.ReadUInt16BigEndian(transport),
            DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(transport[2..]),
            SequenceNumber = BinaryPrimitives.ReadUInt32BigEndian(transport[4..]),
            Flags = (TcpFlags)transport[13],
            Payload = transport[headerLength..],
        };
        return true;
    }
}
