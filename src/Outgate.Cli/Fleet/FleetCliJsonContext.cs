using System.Text.Json.Serialization;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.Fleet;

public sealed record FleetStatus(
    bool Configured, string? Source, string? Target, Guid? HostId, string HostName, bool Connected,
    long? ShippedId, long LastLocalId, long? Lag, long ShippedThisRun, long Batches,
    DateTimeOffset? LastShippedAt, DateTimeOffset? LastHeartbeatAt, string? LastError, DateTimeOffset? LastErrorAt, string? HeartbeatError);

public sealed record FleetHost(
    Guid HostId, string Name, DateTimeOffset? LastHeartbeat, double? SecondsSinceHeartbeat, string? Mode, string? PolicyDigest,
    string? AppliedDigest, string? Version, long EventsShipped, long ShippedId, bool Drift);

public sealed record FleetHosts(string? ExpectedDigest, bool ExpectedGiven, IReadOnlyList<FleetHost> Hosts);

public sealed record FleetSearchRow(string Host, Guid HostId, string? Exe, string? Dst, string? Domain, long Count, DateTimeOffset First, DateTimeOffset Last);

public sealed record FleetSearchResult(string Field, string Value, DateTimeOffset Since, IReadOnlyList<FleetSearchRow> Results);

public sealed record FleetTopRow(string Value, long Count, long Hosts);

public sealed record FleetTop(DateTimeOffset Since, IReadOnlyList<FleetTopRow> Apps, IReadOnlyList<FleetTopRow> Destinations);

public sealed record FleetAlert(
    string Host, Guid HostId, long EventId, DateTimeOffset Time, string Severity, string? Detector, string? Message,
    string? Exe, string? Dst, string? Domain, string? Details);

public sealed record FleetAlerts(DateTimeOffset Since, IReadOnlyList<FleetAlert> Alerts);

/// <summary>Reads the daemon's fleet answers (same shapes as Outgate.Daemon.Fleet.FleetContracts).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FleetStatus))]
[JsonSerializable(typeof(FleetHosts))]
[JsonSerializable(typeof(FleetSearchResult))]
[JsonSerializable(typeof(FleetTop))]
[JsonSerializable(typeof(FleetAlerts))]
[JsonSerializable(typeof(ApiError))]
public sealed partial class FleetCliJsonContext : JsonSerializerContext;
