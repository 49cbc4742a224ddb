namespace Outgate.Cli.Daemon;

/// <summary>
/// <c>POST /v1/prompts/{id}/answer</c> answer: the rule written (none for <c>once</c>) and how many
/// held connections got the verdict.
/// </summary>
public sealed record PromptAnswerResult(long Id, string Verdict, string? Rule, string? Duration, int Released);
