namespace Outgate.Linux.Netlink;

/// <summary>
/// The receive loop every multicast event listener shares (ctnetlink, nf_tables, proc connector):
/// wait for the first datagram up to the socket's timeout, then drain what is queued without
/// waiting, walk its messages and hand each to the listener's parser. Lost events (ENOBUFS) and
/// unparsable messages are counted, never thrown; any other recv error is.
/// </summary>
internal static class NetlinkEventReceiver
{
    internal enum MessageResult { Handled, Ignored, Malformed }

    /// <summary>A NETLINK_NETFILTER socket in the calling thread's namespace that joined <paramref name="groups"/>.</summary>
    public static NetlinkSocket OpenNetfilterGroups(ReadOnlySpan<uint> groups, int receiveBufferSize, TimeSpan? receiveTimeout)
    {
        var socket = new NetlinkSocket(NetlinkConstants.NETLINK_NETFILTER);
        try
        {
            socket.ReceiveTimeout = receiveTimeout ?? TimeSpan.FromMilliseconds(250);
            if (receiveBufferSize > 0) socket.SetReceiveBufferSize(receiveBufferSize, force: true);
            foreach (var group in groups) socket.JoinGroup(group);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    internal delegate MessageResult MessageHandler<TState>(in NetlinkMessage message, TState state);

    /// <summary>Returns the number of messages handled (0 on timeout); reads at most 2 × <paramref name="maxEvents"/> datagrams.</summary>
    public static int Receive<TState>(NetlinkSocket socket, string operation, MessageHandler<TState> handler, TState state, int maxEvents,
        ref long overruns, ref long malformed)
    {
        var handled = 0;
        for (var datagrams = 0; handled < maxEvents && datagrams < maxEvents * 2; datagrams++)
        {
            switch (socket.TryReceive(out var datagram, out _, out var errno, datagrams == 0 ? 0 : Interop.MSG_DONTWAIT))
            {
                case NetlinkSocket.ReceiveStatus.TimedOut:
                    return handled;
                case NetlinkSocket.ReceiveStatus.Truncated:
                    Interlocked.Increment(ref malformed);
                    continue;
                case NetlinkSocket.ReceiveStatus.Failed when errno == Errno.ENOBUFS:
                    Interlocked.Increment(ref overruns);
                    continue;
                case NetlinkSocket.ReceiveStatus.Failed:
                    throw new NetlinkException($"{operation}: recv(AF_NETLINK)", errno);
            }
            // The shared reader checks every nlmsg_len; a lying one ends this datagram as malformed.
            var reader = new NetlinkMessageReader(datagram);
            try
            {
                while (reader.TryRead(out var message))
                {
                    switch (handler(in message, state))
                    {
                        case MessageResult.Handled:
                            handled++;
                            break;
                        case MessageResult.Malformed:
                            Interlocked.Increment(ref malformed);
                            break;
                    }
                }
            }
            catch (NetlinkParseException)
            {
                Interlocked.Increment(ref malformed);
            }
        }
        return handled;
    }
}
