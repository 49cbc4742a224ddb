namespace Outgate.Daemon.Fleet;

/// <summary><c>GET /v1/fleet/status</c>: this daemon's shipper.</summary>
/// <param name="Configured">A fleet database is configured and its configuration accepted.</param>
/// <param name="Source">Where the connection string came from (--fleet-db or the fleet.conf path).</param>
/// <param name="Target">host:port/database, no credentials.</param>
/// <param name="ShippedId">Highest event id the fleet database confirmed; null until connected once.</param>
/// <param name="LastLocalId">Highest event id in events.db.</param>
/// <param name="Lag">LastLocalId − ShippedId: events waiting on disk.</param>
/// <param name="ShippedThisRun">Rows this daemon process inserted.</param>
public sealed record FleetStatusResponse(
    bool Configured, string? Source, string? Target, Guid? HostId, string HostName, bool Connected,
    long? ShippedId, long LastLocalId, long? Lag, long ShippedThisRun, long Batches,
    DateTimeOffset? LastShippedAt, DateTimeOffset? LastHeartbeatAt, string? LastError, DateTimeOffset? LastErrorAt, string? HeartbeatError);

/// <summary>One host of <c>GET /v1/fleet/hosts</c>.</summary>
/// <param name="Drift">The policy digest differs from the expected one (given, or the most common).</param>
public sealed record FleetHost(
    Guid HostId, string Name, DateTimeOffset? LastHeartbeat, double? SecondsSinceHeartbeat, string? Mode, string? PolicyDigest,
    string? AppliedDigest, string? Version, long EventsShipped, long ShippedId, bool Drift);

/// <param name="ExpectedDigest">The digest hosts are compared with: <c>expect=</c>, else the most common one.</param>
public sealed record FleetHostsResponse(string? ExpectedDigest, bool ExpectedGiven, IReadOnlyList<FleetHost> Hosts);

/// <summary>One group of <c>GET /v1/fleet/search</c>: a host's program talking to one destination.</summary>
public sealed record FleetSearchRow(string Host, Guid HostId, string? Exe, string? Dst, string? Domain, long Count, DateTimeOffset First, DateTimeOffset Last);

/// <param name="Field">domain, dst or exe.</param>
public sealed record FleetSearchResponse(string Field, string Value, DateTimeOffset Since, IReadOnlyList<FleetSearchRow> Results);

/// <summary>One line of <c>GET /v1/fleet/top</c>: an app or destination, its connections and on how many hosts.</summary>
public sealed record FleetTopRow(string Value, long Count, long Hosts);

public sealed record FleetTopResponse(DateTimeOffset Since, IReadOnlyList<FleetTopRow> Apps, IReadOnlyList<FleetTopRow> Destinations);

/// <summary>One alert of <c>GET /v1/fleet/alerts</c>.</summary>
/// <param name="Detector">The detector id (the event's rule).</param>
public sealed record FleetAlert(
    string Host, Guid HostId, long EventId, DateTimeOffset Time, string Severity, string? Detector, string? Message,
    string? Exe, string? Dst, string? Domain, string? Details);

public sealed record FleetAlertsResponse(DateTimeOffset Since, IReadOnlyList<FleetAlert> Alerts);
