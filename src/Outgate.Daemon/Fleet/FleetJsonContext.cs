using System.Text.Json.Serialization;
using Outgate.Daemon.Api;

namespace Outgate.Daemon.Fleet;

/// <summary>Source-generated JSON for the fleet endpoints (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FleetStatusResponse))]
[JsonSerializable(typeof(FleetHostsResponse))]
[JsonSerializable(typeof(FleetSearchResponse))]
[JsonSerializable(typeof(FleetTopResponse))]
[JsonSerializable(typeof(FleetAlertsResponse))]
[JsonSerializable(typeof(ErrorResponse))]
public sealed partial class FleetJsonContext : JsonSerializerContext;
