using System.Text.Json.Serialization;

namespace Outgate.Daemon.Web;

/// <summary>Source-generated JSON for the dashboard's own endpoints (same options as <see cref="Api.DaemonJsonContext"/>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(DashboardInfoResponse))]
[JsonSerializable(typeof(TrafficResponse))]
[JsonSerializable(typeof(TopResponse))]
[JsonSerializable(typeof(BlockedResponse))]
[JsonSerializable(typeof(DestinationsResponse))]
[JsonSerializable(typeof(RulesResponse))]
[JsonSerializable(typeof(RuleEditRequest))]
[JsonSerializable(typeof(RuleEditResponse))]
[JsonSerializable(typeof(RuleEditError))]
public sealed partial class DashboardJsonContext : JsonSerializerContext;
