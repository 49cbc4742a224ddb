using System.Text.Json.Serialization;
using Outgate.Daemon.Api;

namespace Outgate.Daemon.Proposals;

/// <summary>Source-generated JSON for the proposal endpoint (its own context so other endpoints' contexts stay untouched).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProposalResponse))]
[JsonSerializable(typeof(ErrorResponse))]
public sealed partial class ProposalJsonContext : JsonSerializerContext;
