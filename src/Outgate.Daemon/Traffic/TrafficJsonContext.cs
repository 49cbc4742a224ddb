using System.Text.Json.Serialization;

namespace Outgate.Daemon.Traffic;

/// <summary>Source-generated JSON for <c>GET /v1/traffic</c>, with the API's conventions (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TrafficResponse))]
public sealed partial class TrafficJsonContext : JsonSerializerContext;
