namespace Outgate.Cli.Daemon;

/// <summary><c>GET /v1/explain</c>: the verdict, what decided it ("rule 3", "default", "mode learn") and the reasoning, one step a line.</summary>
public sealed record Explanation(string Verdict, string? DecidedBy, IReadOnlyList<string>? Lines);
