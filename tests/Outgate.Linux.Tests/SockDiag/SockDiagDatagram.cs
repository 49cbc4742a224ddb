using Outgate.Linux.Netlink;
using Outgate.Linux.SockDiag;

namespace Outgate.Linux.Tests.SockDiag;

/// <summary>Parses a whole sock_diag reply datagram the way <see cref="SockDiagClient"/> does.</summary>
internal static class SockDiagDatagram
{
    public static List<SocketEntry> Parse(ReadOnlySpan<byte> datagram, SocketProtocol protocol)
    {
        var entries = new List<SocketEntry>();
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            if (message.Type != SockDiagConstants.SOCK_DIAG_BY_FAMILY) continue;
            var parser = new InetDiagMessageParser(message.Payload, message.Offset + nlmsghdr.Size);
            parser.CountAttributes();
            entries.Add(parser.ToSocketEntry(protocol));
        }
        return entries;
    }
}
