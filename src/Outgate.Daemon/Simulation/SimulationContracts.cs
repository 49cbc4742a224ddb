namespace Outgate.Daemon.Simulation;

/// <summary>
/// <c>POST /v1/policy/simulate</c> body. <see cref="Files"/>: the candidate's outgate.toml first, then its drop-ins.
/// <see cref="Since"/>: "7d", "12h", "30m" (relative to now) or an ISO-8601 time; null replays everything recorded.
/// <see cref="Examples"/>: connections shown per app (default 3, 0 to 100).
/// </summary>
public sealed record SimulateRequest(IReadOnlyList<CandidateFile>? Files, string? Since = null, int? Examples = null);

/// <summary><c>POST /v1/policy/diff</c> body: two policies judged over the same recorded connections.</summary>
public sealed record DiffRequest(IReadOnlyList<CandidateFile>? A, IReadOnlyList<CandidateFile>? B, string? Since = null, int? Examples = null);

/// <summary>
/// What a candidate would have done with the recorded traffic. <see cref="Breaks"/>: at least one connection the daemon
/// let through would now be refused. <see cref="Connections"/> counts decision events; <see cref="Distinct"/> the
/// distinct connections judged; <see cref="Unjudged"/> events without a usable address or protocol.
/// </summary>
public sealed record SimulationReport(
    DateTimeOffset? Since,
    DateTimeOffset Until,
    int Rules,
    long Connections,
    long Distinct,
    long Unjudged,
    bool Breaks,
    long RefusedConnections,
    IReadOnlyList<AppSimulation> Apps,
    IReadOnlyList<UnusedRule> NeverUsedRules,
    IReadOnlyList<SuspiciousConnection> SuspiciousAllowed);

/// <summary>One program's recorded traffic under the candidate: <see cref="Refused"/> of its <see cref="Connections"/> were allowed then and would be refused now.</summary>
public sealed record AppSimulation(string App, string? Exe, string? Unit, string? Container, long Connections, long Refused, IReadOnlyList<ConnectionExample> Examples);

/// <summary>One distinct connection: where to, how often, when, and what the candidate said (<see cref="DecidedBy"/>).</summary>
public sealed record ConnectionExample(
    string Destination, string? Dst, string? Domain, int? Port, string? Proto, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, string DecidedBy);

/// <summary>A candidate rule that decided none of the recorded connections; <see cref="Origin"/> is file:line:col.</summary>
public sealed record UnusedRule(int Number, string Rule, string? Origin);

/// <summary>A connection that raised an alert and that the candidate would allow.</summary>
public sealed record SuspiciousConnection(string App, ConnectionExample Connection);

/// <summary>
/// Two policies over the same recorded traffic: which connections policy B refuses that policy A allows
/// (<see cref="NewlyRefused"/>) and the other way round, per app.
/// </summary>
public sealed record DiffReport(
    DateTimeOffset? Since,
    DateTimeOffset Until,
    long Connections,
    long Distinct,
    IReadOnlyList<AppEffect> NewlyRefused,
    IReadOnlyList<AppEffect> NewlyAllowed);

/// <summary>One program's connections whose verdict changes between the two policies.</summary>
public sealed record AppEffect(string App, long Connections, IReadOnlyList<ConnectionExample> Examples);

/// <summary>The body of a 422 answer: the candidate's file errors, each "file:line:col: error: message (hint: ...)".</summary>
public sealed record CandidateErrors(string Error, IReadOnlyList<string> Errors, string Hint);
