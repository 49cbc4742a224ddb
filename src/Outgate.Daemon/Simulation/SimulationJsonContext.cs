using System.Text.Json.Serialization;

namespace Outgate.Daemon.Simulation;

/// <summary>Source-generated JSON for the simulation endpoints, same conventions as the rest of the API.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SimulateRequest))]
[JsonSerializable(typeof(DiffRequest))]
[JsonSerializable(typeof(SimulationReport))]
[JsonSerializable(typeof(DiffReport))]
[JsonSerializable(typeof(CandidateErrors))]
public sealed partial class SimulationJsonContext : JsonSerializerContext;
