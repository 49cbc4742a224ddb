namespace Outgate.Cli.Daemon;

/// <summary><c>POST /v1/policy/reload</c> answer: how many rules the daemon now enforces and whether the kernel table was replaced.</summary>
public sealed record PolicyReloadResult(int Rules, bool Applied, string? Table);
