using System.Text.Json.Serialization;

namespace Outgate.Cli.PolicyTools;

/// <summary>Source-generated JSON for <c>outgate policy simulate|diff</c> (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    WriteIndented = true)]
[JsonSerializable(typeof(SimulationRequest))]
[JsonSerializable(typeof(DiffSimulationRequest))]
[JsonSerializable(typeof(SimulationReport))]
[JsonSerializable(typeof(DiffEffect))]
[JsonSerializable(typeof(DiffOutput))]
[JsonSerializable(typeof(SimulationErrorBody))]
internal sealed partial class SimulationJsonContext : JsonSerializerContext;

/// <summary>outgated's error answer; <see cref="Errors"/> lists a rejected candidate's file errors.</summary>
public sealed record SimulationErrorBody(string? Error, string? Hint, IReadOnlyList<string>? Errors);
