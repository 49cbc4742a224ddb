namespace Outgate.Cli.Daemon;

/// <summary>How long finding the process behind a packet takes (median and 99th percentile, microseconds).</summary>
public sealed record DaemonAttributionLatency(double P50Micros, double P99Micros);
