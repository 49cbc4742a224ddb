using Outgate.Linux.Netlink;

namespace Outgate.Linux.Conntrack;

/// <summary>
/// Listens to ctnetlink multicast events (NFNLGRP_CONNTRACK_NEW/UPDATE/DESTROY) of the network
/// namespace of the thread that calls <see cref="Open"/>. Conntrack is per namespace and only
/// exists there once a rule using ct (e.g. <c>-m conntrack</c>) was loaded; counters need
/// <c>net.netfilter.nf_conntrack_acct=1</c> and timestamps <c>nf_conntrack_timestamp=1</c> in
/// that namespace before the connection starts. One receiving thread.
/// </summary>
public sealed class ConntrackEventListener : IDisposable
{
    private readonly NetlinkSocket _socket;
    private long _events, _overruns, _malformed;

    private ConntrackEventListener(NetlinkSocket socket) => _socket = socket;

    /// <param name="groups">Groups to join (default NEW and DESTROY).</param>
    /// <param name="receiveBufferSize">SO_RCVBUFFORCE bytes (default 4 MiB; events beyond it are lost and counted in <see cref="Overruns"/>).</param>
    /// <param name="receiveTimeout">How long <see cref="Receive{TState}"/> waits (default 250 ms).</param>
    public static ConntrackEventListener Open(ConntrackEventGroups groups = ConntrackEventGroups.New | ConntrackEventGroups.Destroy,
        int receiveBufferSize = 4 * 1024 * 1024, TimeSpan? receiveTimeout = null)
    {
        if (groups == ConntrackEventGroups.None) throw new ArgumentException("join at least one group", nameof(groups));
        Span<uint> joined = stackalloc uint[3];
        var count = 0;
        if (groups.HasFlag(ConntrackEventGroups.New)) joined[count++] = ConntrackConstants.NFNLGRP_CONNTRACK_NEW;
        if (groups.HasFlag(ConntrackEventGroups.Update)) joined[count++] = ConntrackConstants.NFNLGRP_CONNTRACK_UPDATE;
        if (groups.HasFlag(ConntrackEventGroups.Destroy)) joined[count++] = ConntrackConstants.NFNLGRP_CONNTRACK_DESTROY;
        return new ConntrackEventListener(NetlinkEventReceiver.OpenNetfilterGroups(joined[..count], receiveBufferSize, receiveTimeout));
    }

    /// <summary>Events handed out so far.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>ENOBUFS from recv: the kernel dropped events because our buffer was full.</summary>
    public long Overruns => Interlocked.Read(ref _overruns);

    /// <summary>Messages that could not be parsed.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>
    /// Waits up to the receive timeout for events, then reads what is already queued without
    /// waiting, up to <paramref name="maxEvents"/>. Returns the number handled (0 on timeout).
    /// </summary>
    public int Receive<TState>(ConntrackEventHandler<TState> handler, TState state, int maxEvents = 64)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return NetlinkEventReceiver.Receive(_socket, "ctnetlink events", static (in NetlinkMessage message, (ConntrackEventListener Self, ConntrackEventHandler<TState> Handler, TState State) s) =>
        {
            if (!ConntrackEventParser.TryParse(message.Type, message.Flags, message.Payload, out var conntrackEvent))
                return message.Type == NetlinkConstants.NLMSG_NOOP ? NetlinkEventReceiver.MessageResult.Ignored : NetlinkEventReceiver.MessageResult.Malformed;
            Interlocked.Increment(ref s.Self._events);
            s.Handler(in conntrackEvent, s.State);
            return NetlinkEventReceiver.MessageResult.Handled;
        }, (this, handler, state), maxEvents, ref _overruns, ref _malformed);
    }

    public void Dispose() => _socket.Dispose();
}
