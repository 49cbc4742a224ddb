using System.Text.Json;

namespace Outgate.Cli.Alerts;

/// <summary><c>GET /v1/alerts</c>: alerts newest first (kept as JSON so <c>--json</c> prints every field) and the count of open ones.</summary>
public sealed record AlertsPage(IReadOnlyList<JsonElement> Alerts, long Unacknowledged);
