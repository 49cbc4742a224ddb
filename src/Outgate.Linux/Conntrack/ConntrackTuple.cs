using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Outgate.Linux.Conntrack;

/// <summary>
/// One direction of a connection (CTA_TUPLE_ORIG or CTA_TUPLE_REPLY): protocol, addresses and ports
/// (or ICMP id/type/code). Addresses are big-endian values like <see cref="Packets.PacketFlow"/>:
/// IPv4 in the low 32 bits.
/// </summary>
public readonly record struct ConntrackTuple
{
    public AddressFamily Family { get; init; }
    public byte Protocol { get; init; }
    public UInt128 Source { get; init; }
    public UInt128 Destination { get; init; }
    public ushort SourcePort { get; init; }
    public ushort DestinationPort { get; init; }
    /// <summary>ICMP/ICMPv6 identifier (echo), type and code; 0 for other protocols.</summary>
    public ushort IcmpId { get; init; }
    public byte IcmpType { get; init; }
    public byte IcmpCode { get; init; }

    public IPAddress SourceAddress => ToAddress(Source);
    public IPAddress DestinationAddress => ToAddress(Destination);

    private IPAddress ToAddress(UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (Family == AddressFamily.InterNetworkV6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
            return new IPAddress(bytes);
        }
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
        return new IPAddress(bytes[..4]);
    }

    public override string ToString() => Family == AddressFamily.InterNetworkV6
        ? $"proto {Protocol} [{SourceAddress}]:{SourcePort} -> [{DestinationAddress}]:{DestinationPort}"
        : $"proto {Protocol} {SourceAddress}:{SourcePort} -> {DestinationAddress}:{DestinationPort}";
}
