namespace Outgate.Daemon.Api;

/// <summary><c>GET /v1/prompts</c>.</summary>
public sealed record PromptsResponse(IReadOnlyList<PromptView> Prompts);

/// <summary>One pending prompt as the CLI and dashboard show it.</summary>
public sealed record PromptView(
    long Id, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, int? Pid, string? Exe, string? CommandLine, string? User, uint Uid,
    string? Unit, string? Container, string Proto, string Dst, int DstPort, string? Domain, int Waiting, string DefaultVerdict);

/// <summary><c>POST /v1/prompts/{id}/answer</c> body. Duration defaults to once, scope to app+host.</summary>
public sealed record AnswerRequest(string? Verdict, string? Duration, string? Scope);

/// <summary>What an answer did: the rule it added (null for once) and how many waiting connections it released.</summary>
public sealed record AnswerResponse(long Id, string Verdict, string? Rule, string Duration, int Released, string? Note);

/// <summary><c>GET /v1/explain</c>: the verdict for a connection and the chain of reasoning.</summary>
public sealed record ExplainResponse(string Verdict, string DecidedBy, IReadOnlyList<string> Lines);

/// <summary><c>POST /v1/policy/reload</c>.</summary>
public sealed record ReloadResponse(int Rules, bool Applied, string Table, long Generation);

/// <summary>Decision counters in <see cref="StatusResponse"/>.</summary>
public sealed record DecisionCountersResponse(long Allowed, long Denied, long Passed, long Prompted, long Cached, long Unattributed, long HashMismatches);

/// <summary>Attribution latency percentiles in <see cref="StatusResponse"/> (null before the first lookup).</summary>
public sealed record AttributionResponse(double? P50Micros, double? P99Micros);

/// <summary>Tamper guard counters in <see cref="StatusResponse"/>.</summary>
public sealed record TamperResponse(long Restored, DateTimeOffset? LastAt);
