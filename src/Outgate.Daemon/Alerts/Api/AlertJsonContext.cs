using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Outgate.Daemon.Alerts.Api;

/// <summary>Source-generated JSON of the alerts API, with the same conventions as <see cref="Outgate.Daemon.Api.DaemonJsonContext"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(AlertsResponse))]
[JsonSerializable(typeof(AlertAck))]
[JsonSerializable(typeof(AckResponse))]
[JsonSerializable(typeof(AckAllResponse))]
[JsonSerializable(typeof(JsonObject))]
public sealed partial class AlertJsonContext : JsonSerializerContext;
