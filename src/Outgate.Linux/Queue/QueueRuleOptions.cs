namespace Outgate.Linux.Queue;

/// <summary>What <see cref="QueueRuleInstaller.InstallAsync"/> installs.</summary>
/// <remarks>
/// The mark defaults are the bits of <c>Outgate.Policy.DaemonMarks</c> (this project does not
/// reference the policy project, so they are copied here; keep both in step).
/// </remarks>
public sealed record QueueRuleOptions
{
    /// <summary>The default of <see cref="QueuedMark"/>, DaemonMarks.Queued.</summary>
    public const uint DefaultQueuedMark = NfQueueOptions.DefaultQueuedMark;

    /// <summary>The default of <see cref="AllowMark"/>, DaemonMarks.Allow.</summary>
    public const uint DefaultAllowMark = 0x0020_0000;

    /// <summary>The default of <see cref="DenyMark"/>, DaemonMarks.Deny.</summary>
    public const uint DefaultDenyMark = 0x0040_0000;

    /// <summary>First queue number. Default 0.</summary>
    public ushort FirstQueue { get; init; }

    /// <summary>Number of queues, balanced per CPU (--queue-balance first:last --queue-cpu-fanout). Default 2; 1 = a single queue.</summary>
    public ushort QueueCount { get; init; } = 2;

    /// <summary>Also queue connections over the loopback interface. Default false (lo is never queued).</summary>
    public bool QueueLoopback { get; init; }

    /// <summary>Install for IPv6 too (ip6tables / the inet table covers both). Default true.</summary>
    public bool IPv6 { get; init; } = true;

    /// <summary>
    /// Copy the mark of a NEW connection's packet into its ct mark when it carries any of our bits
    /// (<see cref="AllowMark"/>, <see cref="DenyMark"/>, <see cref="QueuedMark"/>), in a native chain
    /// after the static table, so conntrack events and later packets know the daemon's decision. Default true.
    /// </summary>
    public bool CopyMarkToConntrack { get; init; } = true;

    /// <summary>
    /// Set on the first packet of a new connection right before it is queued. Every verdict clears
    /// it (<see cref="QueueVerdictMark"/>); a packet that still carries it in the static table
    /// <c>inet outgate</c> was bypassed (no daemon bound) and is dropped there unless the policy is
    /// fail-open. Default 0x0080_0000 (DaemonMarks.Queued); must not be 0.
    /// </summary>
    public uint QueuedMark { get; init; } = DefaultQueuedMark;

    /// <summary>The daemon allowed the connection: the static table accepts it. Default 0x0020_0000 (DaemonMarks.Allow).</summary>
    public uint AllowMark { get; init; } = DefaultAllowMark;

    /// <summary>The daemon refused the connection: the static table rejects it at once. Default 0x0040_0000 (DaemonMarks.Deny).</summary>
    public uint DenyMark { get; init; } = DefaultDenyMark;

    /// <summary>
    /// Queue number for DNS answers, or null (default) for no DNS interception. When set, UDP and
    /// TCP packets from source port 53 that carry payload and arrive for a local socket (hook
    /// input, every interface, loopback included so answers of a local stub resolver are seen) go
    /// to this queue with bypass: with no daemon bound they pass, so DNS keeps working. Must not be
    /// one of <see cref="QueueNumbers"/>. Open that queue with <c>NfQueueOptions.QueuedMark = 0</c>
    /// and a copy range of 65535 (answers are reassembled before the input hook).
    /// </summary>
    public ushort? DnsQueue { get; init; }

    /// <summary>
    /// The bit the kernel decision cache (<c>Bpf.ConnectVerdictCache</c>) labels TCP sockets with at connect: their
    /// SYN is not queued (the label carries the verdict), and the mark goes to the ct mark like a verdict's. 0 (default):
    /// no such rule, every new connection is queued.
    /// </summary>
    public uint KernelMark { get; init; }

    /// <summary>Our bits; a verdict keeps every other bit of the packet's mark.</summary>
    public uint DaemonBits => QueuedMark | AllowMark | DenyMark | KernelMark;

    /// <summary>Queue numbers this configuration uses.</summary>
    public IEnumerable<ushort> QueueNumbers => Enumerable.Range(FirstQueue, QueueCount).Select(n => (ushort)n);

    /// <summary>The verdict marks for these bits.</summary>
    public QueueVerdictMark VerdictMark => new(QueuedMark, AllowMark, DenyMark);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the bad value.</summary>
    public void Validate()
    {
        if (QueuedMark == 0) throw new ArgumentOutOfRangeException(nameof(QueuedMark), QueuedMark, "the queued mark needs at least one bit");
        if (AllowMark == 0) throw new ArgumentOutOfRangeException(nameof(AllowMark), AllowMark, "the allow mark needs at least one bit");
        if (DenyMark == 0) throw new ArgumentOutOfRangeException(nameof(DenyMark), DenyMark, "the deny mark needs at least one bit");
        if ((QueuedMark & AllowMark) != 0 || (QueuedMark & DenyMark) != 0 || (AllowMark & DenyMark) != 0)
            throw new ArgumentOutOfRangeException(nameof(DenyMark), DenyMark,
                $"the marks overlap: queued 0x{QueuedMark:x8}, allow 0x{AllowMark:x8}, deny 0x{DenyMark:x8}");
        if ((KernelMark & (QueuedMark | AllowMark | DenyMark)) != 0)
            throw new ArgumentOutOfRangeException(nameof(KernelMark), KernelMark,
                $"the kernel-cache mark 0x{KernelMark:x8} overlaps queued 0x{QueuedMark:x8}, allow 0x{AllowMark:x8} or deny 0x{DenyMark:x8}");
        if (QueueCount == 0) throw new ArgumentOutOfRangeException(nameof(QueueCount), QueueCount, "at least one queue is needed");
        if (FirstQueue + QueueCount - 1 > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(QueueCount), QueueCount, $"queues {FirstQueue}..{FirstQueue + QueueCount - 1} exceed 65535");
        if (DnsQueue is { } dns && dns >= FirstQueue && dns < FirstQueue + QueueCount)
            throw new ArgumentOutOfRangeException(nameof(DnsQueue), dns,
                $"the DNS queue {dns} is one of the connection queues {FirstQueue}..{FirstQueue + QueueCount - 1}; pick another number");
    }
}
