namespace Outgate.Cli.Daemon;

/// <summary>How often the daemon put back its nftables table after someone else changed or deleted it, and when it last did.</summary>
public sealed record DaemonTamperCounters(long Restored, DateTimeOffset? LastAt);
