namespace Outgate.Cli.Daemon;

/// <summary>The daemon's error body: what went wrong and what to do.</summary>
public sealed record ApiError(string? Error, string? Hint);
