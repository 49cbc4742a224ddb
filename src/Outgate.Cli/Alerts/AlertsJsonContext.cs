using System.Text.Json.Serialization;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.Alerts;

/// <summary>Source-generated JSON of the alerts API (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(AlertsPage))]
[JsonSerializable(typeof(AlertAckRecord))]
[JsonSerializable(typeof(AckResult))]
[JsonSerializable(typeof(AckAllResult))]
[JsonSerializable(typeof(ApiError))]
internal sealed partial class AlertsJsonContext : JsonSerializerContext;
