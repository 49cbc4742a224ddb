using System.Text.Json.Serialization;

namespace Outgate.Cli.Top;

/// <summary>Source-generated JSON for <c>outgate top</c> (NativeAOT: no reflection); the same field names as GET /v1/traffic.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(TrafficSnapshot))]
internal sealed partial class TopJsonContext : JsonSerializerContext;
