namespace Outgate.Cli.Daemon;

/// <summary>
/// <c>GET /v1/status</c> as the CLI reads it (the daemon's StatusResponse; unknown fields are ignored).
/// Everything after <paramref name="Events"/> came with the queue layer and is optional, so this CLI
/// still reads an older daemon's status.
/// </summary>
/// <param name="Queue">The kernel queue path: "native", "compat" or "none".</param>
/// <param name="FailOpen">True when packets pass unjudged if the daemon cannot keep up or dies.</param>
/// <param name="PendingPrompts">Connections waiting for an answer (<c>outgate prompts</c>).</param>
public sealed record DaemonStatus(
    string Version,
    string Mode,
    int Pid,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    string Netns,
    string Socket,
    string ConfigDir,
    string StateDir,
    string Queue,
    string Health,
    IReadOnlyList<string> HealthReasons,
    DaemonEventCounters Events,
    bool? FailOpen = null,
    DaemonDecisionCounters? Decisions = null,
    DaemonAttributionLatency? Attribution = null,
    int? PendingPrompts = null,
    DaemonTamperCounters? Tamper = null,
    DaemonDnsStatus? Dns = null,
    string? Dashboard = null,
    DaemonMemory? Memory = null,
    DaemonKernelCache? KernelCache = null);

/// <summary>The kernel decision cache: "on" or "off: why", and how many connections it labelled at connect.</summary>
public sealed record DaemonKernelCache(string State, ulong Labelled, long Offered, long Recorded);

/// <summary>The daemon's resident set, its GC heap, and the live flows it tracks.</summary>
public sealed record DaemonMemory(long ResidentBytes, long GcHeapBytes, long GcCommittedBytes, long GcFragmentedBytes, int LiveFlows);

/// <summary>The daemon's DNS tracking counters.</summary>
public sealed record DaemonDnsStatus(
    int Queue, long Answers, long Unreadable, long Addresses, int Tracked, long SetWrites, long Elements, long SetErrors,
    long Refills, double LastWriteMicros, bool DnsRequired, int DomainSets);
