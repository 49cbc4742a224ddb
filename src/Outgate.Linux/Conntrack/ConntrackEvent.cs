namespace Outgate.Linux.Conntrack;

/// <summary>One ctnetlink event. Optional parts are null when the kernel did not send them.</summary>
public readonly record struct ConntrackEvent
{
    public ConntrackEventType Type { get; init; }

    /// <summary>The direction the first packet went (client → server for an outgoing connection).</summary>
    public ConntrackTuple Original { get; init; }

    /// <summary>The answer direction (after NAT this differs from the swapped original).</summary>
    public ConntrackTuple Reply { get; init; }

    /// <summary>CTA_ID: the entry's id, stable for its lifetime (pairs NEW with DESTROY).</summary>
    public uint? Id { get; init; }

    /// <summary>CTA_MARK: the ct mark (e.g. copied from a queue verdict's mark).</summary>
    public uint? Mark { get; init; }

    /// <summary>CTA_STATUS bits (IPS_SEEN_REPLY 0x2, IPS_ASSURED 0x4, IPS_CONFIRMED 0x8, ...).</summary>
    public uint? Status { get; init; }

    /// <summary>CTA_PROTOINFO_TCP_STATE (1 SYN_SENT, 3 ESTABLISHED, 7 TIME_WAIT, 8 CLOSE...); null for non-TCP.</summary>
    public byte? TcpState { get; init; }

    public ConntrackCounters? OriginalCounters { get; init; }
    public ConntrackCounters? ReplyCounters { get; init; }

    /// <summary>CTA_TIMESTAMP start/stop in ns of CLOCK_REALTIME (needs net.netfilter.nf_conntrack_timestamp=1).</summary>
    public ulong? StartNanoseconds { get; init; }
    public ulong? StopNanoseconds { get; init; }
}
