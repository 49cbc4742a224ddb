using Outgate.Daemon.Options;

namespace Outgate.Daemon.Api;

/// <summary>The kernel decision cache: "on" or "off: why"; connections it labelled at connect (they skipped the queue),
/// verdicts the queue handed it, labelled connections recorded as decision events, and of those the ones whose program
/// was no longer known (recorded without it); failures: offers the kernel refused (those connections stay with the queue).</summary>
public sealed record KernelCacheResponse(string State, ulong Labelled, long Offered, long Recorded, long RecordedWithoutProgram, long Failures);

/// <summary><c>GET /v1/status</c>.</summary>
/// <param name="Queue">The kernel queue path: "none" until the queue layer is running, later "native" or "compat".</param>
/// <param name="Health">"ok" or "degraded"; <paramref name="HealthReasons"/> says why.</param>
public sealed record StatusResponse(
    string Version,
    DaemonMode Mode,
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
    EventCountersResponse Events)
{
    /// <summary>True when the policy lets unknown connections through while the daemon is down.</summary>
    public bool FailOpen { get; init; }

    /// <summary>NFQUEUE numbers bound.</summary>
    public IReadOnlyList<ushort>? Queues { get; init; }

    public DecisionCountersResponse? Decisions { get; init; }

    public AttributionResponse? Attribution { get; init; }

    public MemoryResponse? Memory { get; init; }

    public KernelCacheResponse? KernelCache { get; init; }

    public int PendingPrompts { get; init; }

    public TamperResponse? Tamper { get; init; }

    /// <summary>Policy generation (bumped by every reload) and its rule count.</summary>
    public long PolicyGeneration { get; init; }

    public int PolicyRules { get; init; }

    /// <summary>DNS tracking: null when DNS answers are not read (--no-dns, --no-kernel).</summary>
    public DnsStatusResponse? Dns { get; init; }

    /// <summary>The web dashboard: its URL (http://127.0.0.1:9474/), "off" (--web off), or "not running: why".</summary>
    public string? Dashboard { get; init; }
}

/// <summary>The DNS tracker's counters in <c>GET /v1/status</c>.</summary>
public sealed record DnsStatusResponse(
    int Queue, long Answers, long Unreadable, long Addresses, int Tracked, long SetWrites, long Elements, long SetErrors,
    long Refills, double LastWriteMicros, bool DnsRequired, int DomainSets);

/// <summary><c>GET /v1/dns/names</c>: the live address → names map (newest name first), for `outgate connections`.</summary>
public sealed record DnsNamesResponse(IReadOnlyList<DnsNameEntry> Addresses);

public sealed record DnsNameEntry(string Address, IReadOnlyList<string> Names, DateTimeOffset Expires);
