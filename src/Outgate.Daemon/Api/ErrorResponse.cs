namespace Outgate.Daemon.Api;

/// <summary>Every non-2xx answer: what went wrong, and (when there is one) what to do about it.</summary>
public sealed record ErrorResponse(string Error, string? Hint = null);
