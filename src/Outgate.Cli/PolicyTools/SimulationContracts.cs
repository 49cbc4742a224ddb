namespace Outgate.Cli.PolicyTools;

// The CLI's copies of outgated's /v1/policy/simulate and /v1/policy/diff shapes (Outgate.Daemon.Simulation);
// the CLI does not reference the daemon, and NativeAOT needs them known at compile time.

/// <summary>One candidate file as sent to outgated.</summary>
public sealed record SimulationFile(string Name, string Text);

public sealed record SimulationRequest(IReadOnlyList<SimulationFile> Files, string? Since, int? Examples);

public sealed record DiffSimulationRequest(IReadOnlyList<SimulationFile> A, IReadOnlyList<SimulationFile> B, string? Since, int? Examples);

public sealed record SimulationReport(
    DateTimeOffset? Since,
    DateTimeOffset Until,
    int Rules,
    long Connections,
    long Distinct,
    long Unjudged,
    bool Breaks,
    long RefusedConnections,
    IReadOnlyList<SimulatedApp> Apps,
    IReadOnlyList<SimulatedUnusedRule> NeverUsedRules,
    IReadOnlyList<SimulatedSuspicious> SuspiciousAllowed);

public sealed record SimulatedApp(string App, string? Exe, string? Unit, string? Container, long Connections, long Refused, IReadOnlyList<SimulatedConnection> Examples);

public sealed record SimulatedConnection(
    string Destination, string? Dst, string? Domain, int? Port, string? Proto, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, string DecidedBy);

public sealed record SimulatedUnusedRule(int Number, string Rule, string? Origin);

public sealed record SimulatedSuspicious(string App, SimulatedConnection Connection);

public sealed record DiffEffect(
    DateTimeOffset? Since,
    DateTimeOffset Until,
    long Connections,
    long Distinct,
    IReadOnlyList<DiffAppEffect> NewlyRefused,
    IReadOnlyList<DiffAppEffect> NewlyAllowed);

public sealed record DiffAppEffect(string App, long Connections, IReadOnlyList<SimulatedConnection> Examples);

/// <summary><c>outgate policy diff --json</c>: the rule changes, and the traffic effect when outgated could be asked.</summary>
public sealed record DiffOutput(IReadOnlyList<string> Changes, DiffEffect? Effect, string? EffectUnavailable);
