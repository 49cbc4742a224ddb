namespace Outgate.Linux.Queue;

/// <summary>What <see cref="QueueRuleInstaller.InstallAsync"/> installs.</summary>
public sealed record QueueRuleOptions
{
    /// <summary>First queue number. Default 0.</summary>
    public ushort FirstQueue { get; init; }

    /// <summary>Number of queues, balanced per CPU (--queue-balance first:last --queue-cpu-fanout). Default 2; 1 = a single queue.</summary>
    public ushort QueueCount { get; init; } = 2;

    /// <summary>
    /// False (default, fail closed): with no daemon bound the queue is bypassed and the packet,
    /// still carrying <see cref="QueuedMark"/>, is rejected by the native chain after the queue
    /// (TCP reset, ICMP port unreachable), so connections fail at once instead of hanging ~2 min.
    /// True: bypassed packets get the bit cleared and go out.
    /// </summary>
    public bool FailOpen { get; init; }

    /// <summary>Also queue connections over the loopback interface. Default false (lo is never queued).</summary>
    public bool QueueLoopback { get; init; }

    /// <summary>Install for IPv6 too (ip6tables / the inet table covers both). Default true.</summary>
    public bool IPv6 { get; init; } = true;

    /// <summary>Copy a non-zero packet mark set by a verdict into the connection's ct mark (native chain). Default true.</summary>
    public bool CopyMarkToConntrack { get; init; } = true;

    /// <summary>
    /// Mark bits that mean "reject": a verdict of ACCEPT with a mark containing all of them is
    /// rejected right after the queue (TCP reset / ICMP unreachable) by the native chain, so deny
    /// decisions fail fast instead of timing out like NF_DROP. Default 0x0040_0000; 0 disables.
    /// </summary>
    public uint RejectMark { get; init; } = 0x0040_0000;

    /// <summary>
    /// Mark bit set on every packet right before it is queued. A bypassed packet (no daemon bound)
    /// keeps it and is rejected after the queue; a verdict replaces the packet's mark, so an
    /// ACCEPT verdict must carry a mark without this bit (<see cref="NfQueue"/> sends one for
    /// you, see <see cref="NfQueueOptions.QueuedMark"/>). Default 0x0080_0000; must not be 0.
    /// </summary>
    public uint QueuedMark { get; init; } = NfQueueOptions.DefaultQueuedMark;

    /// <summary>Queue numbers this configuration uses.</summary>
    public IEnumerable<ushort> QueueNumbers => Enumerable.Range(FirstQueue, QueueCount).Select(n => (ushort)n);

    public void Validate()
    {
        if (QueuedMark == 0) throw new ArgumentOutOfRangeException(nameof(QueuedMark), QueuedMark, "the queued mark needs at least one bit");
        if ((QueuedMark & RejectMark) != 0)
            throw new ArgumentOutOfRangeException(nameof(RejectMark), RejectMark, $"the reject mark 0x{RejectMark:x8} overlaps the queued mark 0x{QueuedMark:x8}");
        if (QueueCount == 0) throw new ArgumentOutOfRangeException(nameof(QueueCount), QueueCount, "at least one queue is needed");
        if (FirstQueue + QueueCount - 1 > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(QueueCount), QueueCount, $"queues {FirstQueue}..{FirstQueue + QueueCount - 1} exceed 65535");
    }
}
