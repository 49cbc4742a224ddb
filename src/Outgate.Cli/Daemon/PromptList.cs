namespace Outgate.Cli.Daemon;

/// <summary><c>GET /v1/prompts</c>: the prompts waiting for an answer, oldest first.</summary>
public sealed record PromptList(IReadOnlyList<PendingPrompt> Prompts);
