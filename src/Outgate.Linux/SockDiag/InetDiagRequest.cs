using System.Buffers.Binary;
using System.Net;
using Outgate.Linux.Netlink;

namespace Outgate.Linux.SockDiag;

/// <summary>Writes a SOCK_DIAG_BY_FAMILY request: nlmsghdr + struct inet_diag_req_v2 (72 bytes).</summary>
public static class InetDiagRequest
{
    public const int Size = nlmsghdr.Size + inet_diag_req_v2.Size;

    /// <summary>A dump of every socket of the family/protocol in the states given (bit 1 &lt;&lt; state).</summary>
    public static void WriteDump(Span<byte> destination, uint sequence, byte family, byte protocol, byte extensions, uint states = SockDiagConstants.AllStates)
    {
        WriteHeader(destination, sequence, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_DUMP, family, protocol, extensions, states);
        var id = destination[(nlmsghdr.Size + 8)..];
        BinaryPrimitives.WriteUInt32LittleEndian(id[40..], SockDiagConstants.INET_DIAG_NOCOOKIE);
        BinaryPrimitives.WriteUInt32LittleEndian(id[44..], SockDiagConstants.INET_DIAG_NOCOOKIE);
    }

    /// <summary>
    /// An exact lookup (no NLM_F_DUMP): <paramref name="local"/> goes to idiag_src/sport and
    /// <paramref name="remote"/> to idiag_dst/dport; cookie INET_DIAG_NOCOOKIE so any socket matches.
    /// TCP reads these from the socket's point of view, UDP from the packet's (see SockDiagClient.Lookup).
    /// </summary>
    public static void WriteLookup(Span<byte> destination, uint sequence, byte protocol, byte extensions, IPEndPoint local, IPEndPoint remote, uint interfaceIndex = 0)
    {
        var family = local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? SockDiagConstants.AF_INET6 : SockDiagConstants.AF_INET;
        WriteHeader(destination, sequence, NetlinkConstants.NLM_F_REQUEST, family, protocol, extensions, SockDiagConstants.AllStates);
        var id = destination[(nlmsghdr.Size + 8)..];
        if (!local.Address.TryWriteBytes(id.Slice(4, 16), out _) || !remote.Address.TryWriteBytes(id.Slice(20, 16), out _))
            throw new ArgumentException("addresses must be IPv4 or IPv6");
        WriteLookupId(id, (ushort)local.Port, (ushort)remote.Port, interfaceIndex);
    }

    /// <summary>
    /// As <see cref="WriteLookup(Span{byte}, uint, byte, byte, IPEndPoint, IPEndPoint, uint)"/> from
    /// raw network-order addresses (4 or 16 bytes), without allocating endpoints.
    /// </summary>
    public static void WriteLookup(Span<byte> destination, uint sequence, byte family, byte protocol, ReadOnlySpan<byte> source, ushort sourcePort,
        ReadOnlySpan<byte> destinationAddress, ushort destinationPort)
    {
        WriteHeader(destination, sequence, NetlinkConstants.NLM_F_REQUEST, family, protocol, 0, SockDiagConstants.AllStates);
        var id = destination[(nlmsghdr.Size + 8)..];
        source.CopyTo(id.Slice(4, 16));
        destinationAddress.CopyTo(id.Slice(20, 16));
        WriteLookupId(id, sourcePort, destinationPort, 0);
    }

    private static void WriteLookupId(Span<byte> id, ushort sourcePort, ushort destinationPort, uint interfaceIndex)
    {
        BinaryPrimitives.WriteUInt16BigEndian(id, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(id[2..], destinationPort);
        BinaryPrimitives.WriteUInt32LittleEndian(id[36..], interfaceIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(id[40..], SockDiagConstants.INET_DIAG_NOCOOKIE);
        BinaryPrimitives.WriteUInt32LittleEndian(id[44..], SockDiagConstants.INET_DIAG_NOCOOKIE);
    }

    private static void WriteHeader(Span<byte> destination, uint sequence, ushort flags, byte family, byte protocol, byte extensions, uint states)
    {
        destination = destination[..Size];
        destination.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Size);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], SockDiagConstants.SOCK_DIAG_BY_FAMILY);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], sequence);
        var request = destination[nlmsghdr.Size..];
        request[0] = family;
        request[1] = protocol;
        request[2] = extensions;
        request[3] = 0; // pad; sdiag_raw_protocol for raw: 0 = every raw protocol
        BinaryPrimitives.WriteUInt32LittleEndian(request[4..], states);
    }
}
