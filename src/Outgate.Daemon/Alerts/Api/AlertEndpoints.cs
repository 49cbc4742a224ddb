using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Outgate.Daemon.Api;
using Outgate.Daemon.Events;
using Outgate.Daemon.Unix;

namespace Outgate.Daemon.Alerts.Api;

/// <summary>
/// The alerts API (unix socket, and the dashboard listener behind its login):
/// <list type="bullet">
/// <item><c>GET /v1/alerts?limit=N&amp;after=ID&amp;since=ISO-8601&amp;unacked=true</c> → <see cref="AlertsResponse"/>, newest first</item>
/// <item><c>POST /v1/alerts/{id}/ack</c> → <see cref="AckResponse"/>; 200 also when already acknowledged (the first
/// acknowledgement is kept and returned with <c>alreadyAcknowledged: true</c>), 404 when no alert has that id</item>
/// <item><c>POST /v1/alerts/ack-all?upTo=ID</c> → <see cref="AckAllResponse"/>: every open alert up to ID (default: the newest)</item>
/// </list>
/// "by" is the caller's user name from SO_PEERCRED on the unix socket, "dashboard" on the web listener.
/// </summary>
public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/alerts", new RequestDelegate(GetAlerts));
        endpoints.MapPost("/v1/alerts/ack-all", new RequestDelegate(PostAckAll));
        endpoints.MapPost("/v1/alerts/{id}/ack", new RequestDelegate(PostAck));
        return endpoints;
    }

    private const string QueryHint = "query parameters: limit=1..10000, after=alert id, since=ISO-8601 time, unacked=true|false";

    private static async Task GetAlerts(HttpContext context)
    {
        var q = context.Request.Query;
        var query = new AlertQuery();
        if (q["limit"].ToString() is { Length: > 0 } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit is < 1 or > AlertQuery.MaxLimit)
            {
                await ApiResults.BadRequest(context, $"bad limit '{limitText}': give 1 to {AlertQuery.MaxLimit}", QueryHint);
                return;
            }
            query = query with { Limit = limit };
        }
        if (q["after"].ToString() is { Length: > 0 } afterText)
        {
            if (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out var after))
            {
                await ApiResults.BadRequest(context, $"bad after '{afterText}': give an alert id", QueryHint);
                return;
            }
            query = query with { After = after };
        }
        if (q["since"].ToString() is { Length: > 0 } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            {
                await ApiResults.BadRequest(context, $"bad since '{sinceText}': give an ISO-8601 time such as 2026-01-31T12:00:00Z", QueryHint);
                return;
            }
            query = query with { Since = since };
        }
        if (q["unacked"].ToString() is { Length: > 0 } unackedText)
        {
            if (!bool.TryParse(unackedText, out var unacked))
            {
                await ApiResults.BadRequest(context, $"bad unacked '{unackedText}': give true or false", QueryHint);
                return;
            }
            query = query with { UnackedOnly = unacked };
        }

        var store = context.RequestServices.GetRequiredService<EventStore>();
        var alerts = store.QueryAlerts(query).Select(ToJson).ToList();
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK, new AlertsResponse(alerts, store.CountUnacknowledgedAlerts()), AlertJsonContext.Default.AlertsResponse);
    }

    /// <summary>The event as /v1/events writes it, plus "acknowledged" when it is.</summary>
    public static JsonObject ToJson(AlertEntry entry)
    {
        var node = JsonSerializer.SerializeToNode(entry.Alert, DaemonJsonContext.Default.DaemonEvent)!.AsObject();
        if (entry.Acknowledged is { } ack) node["acknowledged"] = JsonSerializer.SerializeToNode(ack, AlertJsonContext.Default.AlertAck);
        return node;
    }

    private static async Task PostAck(HttpContext context)
    {
        var idText = context.Request.RouteValues["id"]?.ToString();
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            await ApiResults.BadRequest(context, $"bad alert id '{idText}'", "POST /v1/alerts/ID/ack with ID from GET /v1/alerts or `outgate alerts`");
            return;
        }
        var s = context.RequestServices;
        var result = s.GetRequiredService<EventStore>().AcknowledgeAlert(id, s.GetRequiredService<TimeProvider>().GetUtcNow(), Caller(context));
        if (result is not { } done)
        {
            await ApiResults.WriteAsync(context, StatusCodes.Status404NotFound,
                new ErrorResponse($"no alert with id {id}", "list alerts with `outgate alerts --all` (old alerts are pruned with the event log)"));
            return;
        }
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK, new AckResponse(id, done.Ack, !done.New), AlertJsonContext.Default.AckResponse);
    }

    private static async Task PostAckAll(HttpContext context)
    {
        var s = context.RequestServices;
        var store = s.GetRequiredService<EventStore>();
        var upTo = store.LastId();
        if (context.Request.Query["upTo"].ToString() is { Length: > 0 } upToText)
        {
            if (!long.TryParse(upToText, NumberStyles.None, CultureInfo.InvariantCulture, out upTo))
            {
                await ApiResults.BadRequest(context, $"bad upTo '{upToText}': give an alert id", "POST /v1/alerts/ack-all acknowledges every open alert; ?upTo=ID stops at ID");
                return;
            }
        }
        var by = Caller(context);
        var count = store.AcknowledgeAllAlerts(upTo, s.GetRequiredService<TimeProvider>().GetUtcNow(), by);
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK, new AckAllResponse(count, upTo, by), AlertJsonContext.Default.AckAllResponse);
    }

    /// <summary>The user behind the unix-socket peer, or "dashboard" for the web listener (which has no peer credentials).</summary>
    private static string Caller(HttpContext context)
    {
        if (context.Features.Get<PeerCredentials>() is not { } peer) return "dashboard";
        return context.RequestServices.GetRequiredService<GroupDatabase>().FindUserName(peer.Uid) ?? peer.Uid.ToString(CultureInfo.InvariantCulture);
    }
}
