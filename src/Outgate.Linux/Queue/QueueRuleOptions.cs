namespace Outgate.Linux.Queue;

/// <summary>What <see cref="QueueRuleInstaller.InstallAsync"/> installs.</summary>
public sealed record QueueRuleOptions
{
    /// <summary>First queue number. Default 0.</summary>
    public ushort FirstQueue { get; init; }

    /// <summary>Number of queues, balanced per CPU (--queue-balance first:last --queue-cpu-fanout). Default 2; 1 = a single queue.</summary>
    public ushort QueueCount { get; init; } = 2;

    /// <summary>
    /// False (default, fail closed): with no daemon bound the queue is bypassed into a reject rule
    /// (TCP reset, ICMP port unreachable), so connections fail at once instead of hanging ~2 min.
    /// True: no reject, unanswered connections go out.
    /// </summary>
    public bool FailOpen { get; init; }

    /// <summary>Also queue connections over the loopback interface. Default false (lo is never queued).</summary>
    public bool QueueLoopback { get; init; }

    /// <summary>Install for IPv6 too (ip6tables / the inet table covers both). Default true.</summary>
    public bool IPv6 { get; init; } = true;

    /// <summary>Copy a non-zero packet mark set by a verdict into the connection's ct mark (native chain). Default true.</summary>
    public bool CopyMarkToConntrack { get; init; } = true;

    /// <summary>Queue numbers this configuration uses.</summary>
    public IEnumerable<ushort> QueueNumbers => Enumerable.Range(FirstQueue, QueueCount).Select(n => (ushort)n);

    public void Validate()
    {
        if (QueueCount == 0) throw new ArgumentOutOfRangeException(nameof(QueueCount), QueueCount, "at least one queue is needed");
        if (FirstQueue + QueueCount - 1 > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(QueueCount), QueueCount, $"queues {FirstQueue}..{FirstQueue + QueueCount - 1} exceed 65535");
    }
}
