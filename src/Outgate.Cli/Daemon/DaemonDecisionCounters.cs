namespace Outgate.Cli.Daemon;

/// <summary>Verdicts since the daemon started: <paramref name="Cached"/> were answered from the verdict cache, <paramref name="Unattributed"/> had no process to judge.</summary>
public sealed record DaemonDecisionCounters(long Allowed, long Denied, long Prompted, long Cached, long Unattributed);
