namespace Outgate.Daemon.Traffic;

/// <summary><c>GET /v1/traffic</c>: live traffic per application, busiest uploader first.</summary>
/// <param name="Meter">How the meter is doing (null when it does not run, e.g. --no-kernel).</param>
public sealed record TrafficResponse(DateTimeOffset Time, IReadOnlyList<AppTrafficView> Apps, TrafficMeterView? Meter = null);

/// <summary>
/// One application. Rates are bytes per second over the last <see cref="TrafficMeter.RateSeconds"/> complete seconds (3 s at one sweep a second);
/// totals count since the meter first saw the application (daemon start at the earliest).
/// </summary>
public sealed record AppTrafficView(
    string? Exe, string? User, string? Unit, string? Container, IReadOnlyList<int> Pids, int Connections,
    double BytesOutPerSecond, double BytesInPerSecond, long BytesOut, long BytesIn,
    IReadOnlyList<DestinationTrafficView> TopDestinations);

/// <summary>One destination address of an application (port: the one its latest connection used).</summary>
public sealed record DestinationTrafficView(string Address, string? Domain, int Port, long BytesOut, long BytesIn);

/// <summary>The meter's own numbers: flows in the table, flows it could not attribute or track, and the cost of the last dump.</summary>
public sealed record TrafficMeterView(int Flows, int UnattributedFlows, long UntrackedFlows, int LastDumpEntries, double LastDumpMilliseconds, long Sweeps, int RateSeconds);
