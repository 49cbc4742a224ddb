namespace Outgate.Cli.Daemon;

/// <summary><c>POST /v1/mode</c> body.</summary>
public sealed record ModeRequest(string Mode);
