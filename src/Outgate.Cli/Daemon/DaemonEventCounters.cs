namespace Outgate.Cli.Daemon;

/// <summary>The daemon's event counters: accepted = written + failed + pending; dropped never entered.</summary>
public sealed record DaemonEventCounters(long Accepted, long Written, long Dropped, long Failed, long Pruned, int Pending, int Capacity, long Stored, string? LastError);
