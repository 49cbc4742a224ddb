using Outgate.Daemon.Events;

namespace Outgate.Daemon.Api;

/// <summary>
/// <c>GET /v1/events</c>: events oldest first, and <paramref name="LastId"/>, the store's newest id at
/// query time, to continue from with <c>after=</c> or <c>/v1/events/stream?after=</c>.
/// </summary>
public sealed record EventsResponse(IReadOnlyList<DaemonEvent> Events, long LastId);
