namespace Outgate.Daemon.Api;

/// <summary><c>POST /v1/mode</c> body: <c>{"mode": "enforce"}</c>.</summary>
public sealed record ModeRequest(string? Mode);
