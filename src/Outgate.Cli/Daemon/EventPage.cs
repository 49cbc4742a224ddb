namespace Outgate.Cli.Daemon;

/// <summary><c>GET /v1/events</c>: events oldest first and the store's newest id, the cursor for following.</summary>
public sealed record EventPage(IReadOnlyList<EventRecord> Events, long LastId);
