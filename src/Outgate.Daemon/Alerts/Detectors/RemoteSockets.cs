using System.Net;
using Outgate.Linux.SockDiag;

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>
/// From a sock_diag dump of the served namespace: the sockets connected to a remote peer that this host dialled (by
/// inode). Loopback and unconnected sockets are left out, and so are accepted connections (their local port is a
/// listening one): an inetd-style service with a client socket on stdin is not a connect-back shell.
/// </summary>
public static class RemoteSockets
{
    public static Dictionary<ulong, SocketEntry> Outgoing(IEnumerable<SocketEntry> sockets)
    {
        var all = sockets as IReadOnlyCollection<SocketEntry> ?? sockets.ToList();
        var listening = new HashSet<ushort>();
        foreach (var s in all)
            if (s.Protocol == SocketProtocol.Tcp && s.State == SocketState.Listen) listening.Add(s.LocalPort);
        var outgoing = new Dictionary<ulong, SocketEntry>();
        foreach (var s in all)
        {
            if (s.Inode == 0 || s.State != SocketState.Established || s.RemotePort == 0) continue;
            if (s.Protocol == SocketProtocol.Tcp && listening.Contains(s.LocalPort)) continue;
            var remote = s.RemoteAddress.IsIPv4MappedToIPv6 ? s.RemoteAddress.MapToIPv4() : s.RemoteAddress;
            if (IPAddress.IsLoopback(remote) || remote.Equals(IPAddress.Any) || remote.Equals(IPAddress.IPv6Any)) continue;
            outgoing[s.Inode] = s;
        }
        return outgoing;
    }
}
