using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Outgate.Daemon.Api;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Fleet;

/// <summary>
/// The fleet API on the unix socket (root and the outgate group, like every endpoint):
/// <list type="bullet">
/// <item><c>GET /v1/fleet/status</c> → <see cref="FleetStatusResponse"/> (this daemon's shipper; works without a database)</item>
/// <item><c>GET /v1/fleet/hosts?expect=DIGEST</c> → <see cref="FleetHostsResponse"/></item>
/// <item><c>GET /v1/fleet/search?domain=D|dst=ADDR|exe=PATH&amp;since=1d&amp;limit=N</c> → <see cref="FleetSearchResponse"/></item>
/// <item><c>GET /v1/fleet/top?since=1d&amp;limit=N</c> → <see cref="FleetTopResponse"/></item>
/// <item><c>GET /v1/fleet/alerts?since=1d&amp;limit=N</c> → <see cref="FleetAlertsResponse"/></item>
/// </list>
/// <c>since</c> is an age (90m, 12h, 7d) or an ISO-8601 time. Without a fleet database the queries answer 503, a
/// database that fails answers 502; both with an <see cref="ErrorResponse"/> saying what to do.
/// </summary>
public static class FleetEndpoints
{
    /// <summary>The widest window a query may ask for.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(400);

    public static IEndpointRouteBuilder MapFleetApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/fleet/status", new RequestDelegate(GetStatus));
        endpoints.MapGet("/v1/fleet/hosts", new RequestDelegate(context => Query(context, GetHosts)));
        endpoints.MapGet("/v1/fleet/search", new RequestDelegate(context => Query(context, GetSearch)));
        endpoints.MapGet("/v1/fleet/top", new RequestDelegate(context => Query(context, GetTop)));
        endpoints.MapGet("/v1/fleet/alerts", new RequestDelegate(context => Query(context, GetAlerts)));
        return endpoints;
    }

    private static Task GetStatus(HttpContext context)
    {
        var s = context.RequestServices;
        var db = s.GetRequiredService<FleetDatabase>();
        var state = s.GetRequiredService<ShipperState>();
        var last = s.GetRequiredService<EventStore>().LastId();
        long? shipped = state.ShippedId < 0 ? null : state.ShippedId;
        var status = new FleetStatusResponse(
            db.IsConfigured, db.Source, db.Target, state.HostId == Guid.Empty ? null : state.HostId, s.GetRequiredService<HostIdentity>().Name,
            state.Connected, shipped, last, shipped is { } c ? Math.Max(0, last - c) : null, state.ShippedTotal, state.Batches,
            state.LastShippedAt, state.LastHeartbeatAt, state.LastError ?? db.ConfigError, state.LastErrorAt, state.HeartbeatError);
        return ApiResults.WriteAsync(context, StatusCodes.Status200OK, status, FleetJsonContext.Default.FleetStatusResponse);
    }

    private static async Task Query(HttpContext context, Func<HttpContext, FleetQueries, DateTimeOffset, int, Task> body)
    {
        var s = context.RequestServices;
        var db = s.GetRequiredService<FleetDatabase>();
        if (db.DataSource is not { } dataSource)
        {
            await Error(context, StatusCodes.Status503ServiceUnavailable,
                db.ConfigError is { } why ? $"this outgated's fleet database is not used: {why}" : "this outgated has no fleet database",
                $"put a connection string in {Path.Combine(s.GetRequiredService<DaemonOptions>().ConfigDirectory, FleetConfigFile.FileName)} (root-owned, mode 0600) or start outgated with --fleet-db; see docs/fleet.md");
            return;
        }
        var now = s.GetRequiredService<TimeProvider>().GetUtcNow();
        var q = context.Request.Query;
        if (!TryParseSince(q["since"].ToString(), now, out var since))
        {
            await Error(context, StatusCodes.Status400BadRequest, $"since='{Printable(q["since"].ToString())}' is neither an age nor a time",
                "use an age like 90m, 12h, 1d (at most 400d) or an ISO-8601 time like 2026-11-01T00:00:00Z");
            return;
        }
        var limit = 100;
        if (q["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > FleetQueries.MaxRows))
        {
            await Error(context, StatusCodes.Status400BadRequest, $"bad limit '{Printable(limitText)}'", $"give 1 to {FleetQueries.MaxRows}");
            return;
        }
        try
        {
            await body(context, new FleetQueries(dataSource), since, limit);
        }
        catch (Exception ex) when (ex is DbException or IOException or TimeoutException or InvalidOperationException)
        {
            await Error(context, StatusCodes.Status502BadGateway, $"the fleet database {db.Target} failed: {ex.Message}",
                "check that it is up and reachable from this host (outgate fleet status shows the shipper's view)");
        }
    }

    private static async Task GetHosts(HttpContext context, FleetQueries queries, DateTimeOffset since, int limit)
    {
        var expect = context.Request.Query["expect"].ToString();
        var given = expect.Length > 0;
        var hosts = await queries.HostsAsync(given ? expect.Trim().ToLowerInvariant() : null, context.RequestAborted);
        var expected = FleetDrift.Expected(hosts.Select(h => h.PolicyDigest), given ? expect.Trim().ToLowerInvariant() : null);
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK, new FleetHostsResponse(expected, given, hosts), FleetJsonContext.Default.FleetHostsResponse);
    }

    private static async Task GetSearch(HttpContext context, FleetQueries queries, DateTimeOffset since, int limit)
    {
        var q = context.Request.Query;
        if (FleetSearch.TryParse(q["domain"], q["dst"], q["exe"], out var error) is not { } search)
        {
            await Error(context, StatusCodes.Status400BadRequest, error!, "e.g. /v1/fleet/search?domain=example.com&since=1d");
            return;
        }
        var rows = await queries.SearchAsync(search, since, limit, context.RequestAborted);
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK,
            new FleetSearchResponse(search.Field.ToString().ToLowerInvariant(), search.Value, since, rows), FleetJsonContext.Default.FleetSearchResponse);
    }

    private static async Task GetTop(HttpContext context, FleetQueries queries, DateTimeOffset since, int limit)
    {
        var (apps, destinations) = await queries.TopAsync(since, context.Request.Query.ContainsKey("limit") ? limit : 10, context.RequestAborted);
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK, new FleetTopResponse(since, apps, destinations), FleetJsonContext.Default.FleetTopResponse);
    }

    private static async Task GetAlerts(HttpContext context, FleetQueries queries, DateTimeOffset since, int limit)
    {
        var alerts = await queries.AlertsAsync(since, limit, context.RequestAborted);
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK, new FleetAlertsResponse(since, alerts), FleetJsonContext.Default.FleetAlertsResponse);
    }

    /// <summary>An age (<c>1d</c>) back from <paramref name="now"/> or an ISO-8601 time; default one day.</summary>
    internal static bool TryParseSince(string? text, DateTimeOffset now, out DateTimeOffset since)
    {
        since = now - TimeSpan.FromDays(1);
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (DurationSyntax.TryParse(text, out var age) && age > TimeSpan.Zero && age <= MaxWindow)
        {
            since = now - age;
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t <= now && now - t <= MaxWindow)
        {
            since = t.ToUniversalTime();
            return true;
        }
        return false;
    }

    private static Task Error(HttpContext context, int status, string error, string hint) =>
        ApiResults.WriteAsync(context, status, new ErrorResponse(error, hint), FleetJsonContext.Default.ErrorResponse);

    private static string Printable(string s) =>
        string.Concat(s.Take(100).Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
}
