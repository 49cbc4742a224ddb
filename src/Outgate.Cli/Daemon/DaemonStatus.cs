namespace Outgate.Cli.Daemon;

/// <summary><c>GET /v1/status</c> as the CLI reads it (the daemon's StatusResponse; unknown fields are ignored).</summary>
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
    DaemonEventCounters Events);
