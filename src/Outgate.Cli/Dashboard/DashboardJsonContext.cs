using System.Text.Json.Serialization;

namespace Outgate.Cli.Dashboard;

/// <summary>Source-generated JSON for <c>outgate dashboard</c> (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    WriteIndented = true)]
[JsonSerializable(typeof(DashboardInfo))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
