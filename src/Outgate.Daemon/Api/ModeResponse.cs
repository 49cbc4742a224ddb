using Outgate.Daemon.Options;

namespace Outgate.Daemon.Api;

/// <summary><c>POST /v1/mode</c> answer; <paramref name="Changed"/> is false (and no event is recorded) when the mode was already set.</summary>
public sealed record ModeResponse(DaemonMode Previous, DaemonMode Mode, bool Changed);
