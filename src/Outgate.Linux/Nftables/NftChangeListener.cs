using Outgate.Linux.Netlink;

namespace Outgate.Linux.Nftables;

/// <summary>
/// Listens to nf_tables ruleset change notifications (the multicast group NFNLGRP_NFTABLES that
/// <c>nft monitor</c> uses) in the network namespace of the thread that calls <see cref="Open"/>:
/// open it through <see cref="NetworkNamespaceScope"/> to watch another namespace. Each committed
/// transaction arrives as its table/chain/rule/set/element messages followed by one
/// <see cref="NftObjectKind.Generation"/> message with the committing process's pid, which tells
/// our own changes from someone else's. One receiving thread.
/// </summary>
public sealed class NftChangeListener : IDisposable
{
    private readonly NetlinkSocket _socket;
    private long _changes, _overruns, _malformed;

    private NftChangeListener(NetlinkSocket socket) => _socket = socket;

    /// <param name="receiveBufferSize">SO_RCVBUFFORCE bytes (default 4 MiB: a large set load sends one message per element batch); 0 keeps the default.</param>
    /// <param name="receiveTimeout">How long <see cref="Receive{TState}"/> waits (default 250 ms).</param>
    public static NftChangeListener Open(int receiveBufferSize = 4 * 1024 * 1024, TimeSpan? receiveTimeout = null)
    {
        var socket = new NetlinkSocket(NetlinkConstants.NETLINK_NETFILTER);
        try
        {
            socket.ReceiveTimeout = receiveTimeout ?? TimeSpan.FromMilliseconds(250);
            if (receiveBufferSize > 0) socket.SetReceiveBufferSize(receiveBufferSize, force: true);
            socket.JoinGroup(NftNetlinkConstants.NFNLGRP_NFTABLES);
            return new NftChangeListener(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Changes handed out so far.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>
    /// ENOBUFS from recv: the kernel dropped notifications because our buffer was full. After an
    /// overrun the ruleset must be re-read: a change may have gone unseen.
    /// </summary>
    public long Overruns => Interlocked.Read(ref _overruns);

    /// <summary>Messages that could not be parsed (or were truncated).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>
    /// Waits up to the receive timeout for notifications, then reads what is already queued
    /// without waiting, up to <paramref name="maxChanges"/>. Returns the number handled (0 on timeout).
    /// </summary>
    public int Receive<TState>(NftChangeHandler<TState> handler, TState state, int maxChanges = 64)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var handled = 0;
        for (var datagrams = 0; handled < maxChanges && datagrams < maxChanges * 2; datagrams++)
        {
            switch (_socket.TryReceive(out var datagram, out _, out var errno, datagrams == 0 ? 0 : Netlink.Interop.MSG_DONTWAIT))
            {
                case NetlinkSocket.ReceiveStatus.TimedOut:
                    return handled;
                case NetlinkSocket.ReceiveStatus.Truncated:
                    Interlocked.Increment(ref _malformed);
                    continue;
                case NetlinkSocket.ReceiveStatus.Failed when errno == Errno.ENOBUFS:
                    Interlocked.Increment(ref _overruns);
                    continue;
                case NetlinkSocket.ReceiveStatus.Failed:
                    throw new NetlinkException("nftables monitor: recv(AF_NETLINK)", errno);
            }
            var reader = new NetlinkMessageReader(datagram);
            try
            {
                while (reader.TryRead(out var message))
                {
                    if (NftChangeParser.TryParse(message, out var change))
                    {
                        Interlocked.Increment(ref _changes);
                        handled++;
                        handler(in change, state);
                    }
                    else if (message.Type != NetlinkConstants.NLMSG_NOOP) Interlocked.Increment(ref _malformed);
                }
            }
            catch (NetlinkParseException)
            {
                Interlocked.Increment(ref _malformed);
            }
        }
        return handled;
    }

    public void Dispose() => _socket.Dispose();
}
