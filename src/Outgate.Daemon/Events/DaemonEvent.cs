namespace Outgate.Daemon.Events;

/// <summary>
/// One thing worth recording: a decision, a flow end, a mode change, an alert. Flat on purpose:
/// each pipeline stage fills in what it knows (the queue the 5-tuple, attribution the process,
/// the matcher the rule and verdict, conntrack the bytes) and leaves the rest null. Every field maps
/// to one column of events.db and one JSON property of <c>/v1/events</c>.
/// </summary>
public sealed record DaemonEvent
{
    public DaemonEvent()
    {
    }

    /// <summary>An event about what <paramref name="program"/> did: its pid, executable, user, unit and container filled in.</summary>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public DaemonEvent(DateTimeOffset time, EventType type, Outgate.Policy.ProcessFacts? program)
    {
        Time = time;
        Type = type;
        if (program is null) return;
        Pid = program.Pid > 0 ? program.Pid : null;
        Exe = program.ExecutablePath;
        Uid = program.Uid;
        User = program.UserName;
        Unit = program.SystemdUnit;
        Container = program.ContainerName ?? program.ContainerId;
    }

    /// <summary>Store-assigned, increasing id; 0 until written. Cursors (<c>after=</c>, SSE <c>id:</c>) use it.</summary>
    public long Id { get; init; }

    /// <summary>When it happened (UTC, microsecond resolution in the store).</summary>
    public required DateTimeOffset Time { get; init; }

    public required EventType Type { get; init; }

    public EventSeverity Severity { get; init; } = EventSeverity.Info;

    /// <summary>One human sentence; the structured fields carry the details.</summary>
    public string? Message { get; init; }

    /// <summary>Process id of the program behind the connection (or of the client that changed the mode).</summary>
    public int? Pid { get; init; }

    /// <summary>Executable path.</summary>
    public string? Exe { get; init; }

    public uint? Uid { get; init; }

    /// <summary>User name for <see cref="Uid"/>.</summary>
    public string? User { get; init; }

    /// <summary>systemd unit, e.g. "nginx.service".</summary>
    public string? Unit { get; init; }

    /// <summary>Container name or short id.</summary>
    public string? Container { get; init; }

    /// <summary>"tcp", "udp", "icmp", ...</summary>
    public string? Proto { get; init; }

    public string? Src { get; init; }

    public int? SrcPort { get; init; }

    public string? Dst { get; init; }

    public int? DstPort { get; init; }

    /// <summary>Domain the destination address was resolved from, when DnsTracker knows it.</summary>
    public string? Domain { get; init; }

    /// <summary>"allow", "deny", "reject", "prompt", ...</summary>
    public string? Verdict { get; init; }

    /// <summary>The rule that decided (its id or ufw form), or the default that applied.</summary>
    public string? Rule { get; init; }

    /// <summary>Bytes sent by the local side (flow-end).</summary>
    public long? BytesOut { get; init; }

    /// <summary>Bytes received by the local side (flow-end).</summary>
    public long? BytesIn { get; init; }

    /// <summary>
    /// Labels about the connection, comma-separated: <c>no-dns</c> (the address was never answered by
    /// a DNS lookup Outgate saw), <c>dot</c> (DNS over TLS, port 853), <c>doh</c> (a public DNS-over-HTTPS resolver).
    /// </summary>
    public string? Tags { get; init; }

    /// <summary>
    /// An alert's evidence as <c>key=value</c> pairs separated by <c>"; "</c> (e.g. <c>bytes_out=52428800; window=60s</c>);
    /// null for other events. The message says it in words; this is for filters and machines.
    /// </summary>
    public string? Details { get; init; }
}
