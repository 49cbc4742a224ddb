using System.Text.Json.Serialization;
using Outgate.Daemon.Events;

namespace Outgate.Daemon.Api;

/// <summary>Source-generated JSON for the API: camelCase properties, enums by their wire names, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(ModeRequest))]
[JsonSerializable(typeof(ModeResponse))]
[JsonSerializable(typeof(EventsResponse))]
[JsonSerializable(typeof(DaemonEvent))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(PromptsResponse))]
[JsonSerializable(typeof(AnswerRequest))]
[JsonSerializable(typeof(AnswerResponse))]
[JsonSerializable(typeof(ExplainResponse))]
[JsonSerializable(typeof(ReloadResponse))]
[JsonSerializable(typeof(DnsNamesResponse))]
public sealed partial class DaemonJsonContext : JsonSerializerContext;
