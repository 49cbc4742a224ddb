namespace Outgate.Cli.Top;

/// <summary>outgated's <c>GET /v1/traffic</c>: live traffic per application.</summary>
public sealed record TrafficSnapshot(DateTimeOffset Time, IReadOnlyList<AppTraffic> Apps, TrafficMeterInfo? Meter = null);

/// <summary>One application: rates in bytes per second over the last seconds, totals since the daemon first saw it.</summary>
public sealed record AppTraffic(
    string? Exe, string? User, string? Unit, string? Container, IReadOnlyList<int>? Pids, int Connections,
    double BytesOutPerSecond, double BytesInPerSecond, long BytesOut, long BytesIn,
    IReadOnlyList<DestinationTraffic>? TopDestinations);

/// <summary>One destination address of an application.</summary>
public sealed record DestinationTraffic(string Address, string? Domain, int Port, long BytesOut, long BytesIn);

/// <summary>The daemon's meter: flows in the table and the cost of its last conntrack dump.</summary>
public sealed record TrafficMeterInfo(int Flows, int UnattributedFlows, long UntrackedFlows, int LastDumpEntries, double LastDumpMilliseconds, long Sweeps, int RateSeconds);
