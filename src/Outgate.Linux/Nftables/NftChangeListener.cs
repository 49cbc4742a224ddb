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
    public static NftChangeListener Open(int receiveBufferSize = 4 * 1024 * 1024, TimeSpan? receiveTimeout = null) =>
        new(NetlinkEventReceiver.OpenNetfilterGroups([NftNetlinkConstants.NFNLGRP_NFTABLES], receiveBufferSize, receiveTimeout));

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
        return NetlinkEventReceiver.Receive(_socket, "nftables monitor", static (in NetlinkMessage message, (NftChangeListener Self, NftChangeHandler<TState> Handler, TState State) s) =>
        {
            if (!NftChangeParser.TryParse(message, out var change))
                return message.Type == NetlinkConstants.NLMSG_NOOP ? NetlinkEventReceiver.MessageResult.Ignored : NetlinkEventReceiver.MessageResult.Malformed;
            Interlocked.Increment(ref s.Self._changes);
            s.Handler(in change, s.State);
            return NetlinkEventReceiver.MessageResult.Handled;
        }, (this, handler, state), maxChanges, ref _overruns, ref _malformed);
    }

    public void Dispose() => _socket.Dispose();
}
