using System.Text.Json;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.Alerts;

/// <summary>One alert from <c>GET /v1/alerts</c>: the event, its acknowledgement, and the JSON as sent (for <c>--json</c>).</summary>
public sealed record AlertRow(EventRecord Alert, AlertAckRecord? Acknowledged, string Json)
{
    public static AlertRow From(JsonElement element)
    {
        var alert = element.Deserialize(CliDaemonJsonContext.Default.EventRecord) ?? new EventRecord();
        var ack = element.TryGetProperty("acknowledged", out var a) && a.ValueKind == JsonValueKind.Object
            ? a.Deserialize(AlertsJsonContext.Default.AlertAckRecord)
            : null;
        return new AlertRow(alert, ack, element.GetRawText());
    }
}
