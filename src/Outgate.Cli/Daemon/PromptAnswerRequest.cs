namespace Outgate.Cli.Daemon;

/// <summary><c>POST /v1/prompts/{id}/answer</c> body: <c>{"verdict":"allow","duration":"1h","scope":"app+host"}</c>.</summary>
public sealed record PromptAnswerRequest(string Verdict, string Duration, string Scope);
