using System.Text.Json.Nodes;

namespace Outgate.Daemon.Alerts.Api;

/// <summary>
/// <c>GET /v1/alerts</c>: alerts newest first, each the event exactly as <c>/v1/events</c> writes it plus
/// <c>"acknowledged": {"time": ..., "by": ...}</c> once acknowledged; <paramref name="Unacknowledged"/> counts all open alerts.
/// </summary>
public sealed record AlertsResponse(IReadOnlyList<JsonObject> Alerts, long Unacknowledged);
