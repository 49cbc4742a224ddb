using System.Text.Json.Serialization;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.PolicyTools;

/// <summary>Source-generated JSON for `outgate policy propose` (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    WriteIndented = true)]
[JsonSerializable(typeof(ProposalDocument))]
[JsonSerializable(typeof(ApiError))]
public sealed partial class ProposalJsonContext : JsonSerializerContext;
