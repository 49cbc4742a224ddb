namespace Outgate.Cli.Daemon;

/// <summary><c>POST /v1/mode</c> answer.</summary>
public sealed record ModeChange(string Previous, string Mode, bool Changed);
