using System.Text.Json.Serialization;

namespace Outgate.Cli.Daemon;

/// <summary>Source-generated JSON for talking to outgated (the CLI is NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(DaemonStatus))]
[JsonSerializable(typeof(DnsNames))]
[JsonSerializable(typeof(ModeRequest))]
[JsonSerializable(typeof(ModeChange))]
[JsonSerializable(typeof(EventPage))]
[JsonSerializable(typeof(EventRecord))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(PromptList))]
[JsonSerializable(typeof(PromptAnswerRequest))]
[JsonSerializable(typeof(PromptAnswerResult))]
[JsonSerializable(typeof(Explanation))]
[JsonSerializable(typeof(PolicyReloadResult))]
internal sealed partial class CliDaemonJsonContext : JsonSerializerContext;
