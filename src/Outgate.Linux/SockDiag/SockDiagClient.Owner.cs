using System.Net.Sockets;
using Outgate.Linux.Netlink;
using Outgate.Linux.Packets;

namespace Outgate.Linux.SockDiag;

/// <summary>The owner side of a socket as attribution needs it: inode and uid, nothing allocated.</summary>
public readonly record struct SocketOwner(ulong Inode, uint Uid, SocketState State);

/// <summary>The allocation-free lookup for the verdict path.</summary>
public sealed partial class SockDiagClient
{
    /// <summary>Where the reply handler leaves its answer; one per client (a client serves one request at a time).</summary>
    private sealed class OwnerReply
    {
        public bool Found;
        public SocketOwner Owner;
    }

    private readonly OwnerReply _ownerReply = new();

    /// <summary>
    /// Looks up the socket that sent <paramref name="flow"/> (source = our side) like
    /// <see cref="Lookup"/>, but returns only its inode, uid and state, and allocates nothing.
    /// False when no socket matches or the protocol has no lookup here (ports-less protocols).
    /// </summary>
    /// <exception cref="SockDiagUnsupportedException">The protocol's diag module is missing (probed once on ENOENT).</exception>
    public bool TryLookupOwner(in PacketFlow flow, out SocketOwner owner)
    {
        owner = default;
        SocketProtocol protocol;
        switch (flow.Protocol)
        {
            case PacketParser.IPPROTO_TCP: protocol = SocketProtocol.Tcp; break;
            case (byte)SocketProtocol.Udp: protocol = SocketProtocol.Udp; break;
            case (byte)SocketProtocol.UdpLite: protocol = SocketProtocol.UdpLite; break;
            default: return false;
        }
        var family = flow.IsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        Span<byte> local = stackalloc byte[16], remote = stackalloc byte[16];
        var length = flow.WriteAddress(flow.Source, local);
        flow.WriteAddress(flow.Destination, remote);
        Span<byte> request = stackalloc byte[InetDiagRequest.Size];
        // UDP takes the packet's view (peer in idiag_src), TCP the socket's: see Lookup.
        var udp = protocol != SocketProtocol.Tcp;
        InetDiagRequest.WriteLookup(request, _socket.NextSequence(), ToKernelFamily(family), (byte)protocol,
            udp ? remote[..length] : local[..length], udp ? flow.DestinationPort : flow.SourcePort,
            udp ? local[..length] : remote[..length], udp ? flow.SourcePort : flow.DestinationPort);
        _ownerReply.Found = false;
        try
        {
            _socket.Request(request, Operation(family, protocol, lookup: true), static (in NetlinkMessage message, OwnerReply reply) =>
            {
                if (message.Type != SockDiagConstants.SOCK_DIAG_BY_FAMILY) return;
                var parsed = new InetDiagMessageParser(message.Payload, message.Offset + nlmsghdr.Size);
                reply.Owner = new SocketOwner(parsed.Inode, parsed.Uid, parsed.State);
                reply.Found = true;
            }, _ownerReply);
        }
        catch (NetlinkException ex) when (ex.Errno == Errno.ENOENT)
        {
            if (!_supported.Contains((ToKernelFamily(family), (byte)protocol))) Probe(family, protocol);
            return false;
        }
        catch (NetlinkException ex) when (IsUnsupported(ex.Errno))
        {
            throw new SockDiagUnsupportedException(family, protocol, ex.Errno, ex.KernelMessage);
        }
        owner = _ownerReply.Owner;
        return _ownerReply.Found;
    }
}
