using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Outgate.Daemon.Api;

namespace Outgate.Daemon.Web;

/// <summary>
/// The dashboard's own API, mapped with the rest (so the unix socket has it too):
/// <list type="bullet">
/// <item><c>GET /v1/dashboard</c>, <c>POST /v1/dashboard/rotate</c> → <see cref="DashboardInfoResponse"/>: URL, login link and token (unix socket only: the token is root's to hand out)</item>
/// <item><c>GET /v1/dashboard/viewer</c>, <c>POST /v1/dashboard/viewer/rotate</c>: the same for the read-only viewer token (made at the first GET)</item>
/// <item><c>GET /v1/stats/traffic?minutes=60</c>, <c>/v1/stats/top?minutes=60&amp;limit=10</c>, <c>/v1/stats/blocked</c>, <c>/v1/stats/destinations</c></item>
/// <item><c>GET /v1/rules</c> → <see cref="RulesResponse"/>; <c>POST /v1/rules</c> with <see cref="RuleEditRequest"/>; <c>DELETE /v1/rules/{n}</c></item>
/// </list>
/// </summary>
public static class DashboardEndpoints
{
    public const string EndpointList = "GET /v1/dashboard[/viewer], POST /v1/dashboard[/viewer]/rotate, GET /v1/stats/traffic|top|blocked|destinations, GET|POST /v1/rules, DELETE /v1/rules/N";

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/dashboard", new RequestDelegate(context => WriteInfo(context, DashboardRole.Admin, rotated: false)));
        endpoints.MapPost("/v1/dashboard/rotate", new RequestDelegate(context => WriteInfo(context, DashboardRole.Admin, rotated: true)));
        endpoints.MapGet("/v1/dashboard/viewer", new RequestDelegate(context => WriteInfo(context, DashboardRole.Viewer, rotated: false)));
        endpoints.MapPost("/v1/dashboard/viewer/rotate", new RequestDelegate(context => WriteInfo(context, DashboardRole.Viewer, rotated: true)));
        endpoints.MapGet("/v1/stats/traffic", new RequestDelegate(context => Stats(context, (s, m, l) => ApiResults.WriteAsync(context, 200, s.Traffic(m), DashboardJsonContext.Default.TrafficResponse))));
        endpoints.MapGet("/v1/stats/top", new RequestDelegate(context => Stats(context, (s, m, l) => ApiResults.WriteAsync(context, 200, s.Top(m, l), DashboardJsonContext.Default.TopResponse))));
        endpoints.MapGet("/v1/stats/blocked", new RequestDelegate(context => Stats(context, (s, m, l) => ApiResults.WriteAsync(context, 200, s.Blocked(m, l), DashboardJsonContext.Default.BlockedResponse))));
        endpoints.MapGet("/v1/stats/destinations", new RequestDelegate(context => Stats(context, (s, m, l) => ApiResults.WriteAsync(context, 200, s.Destinations(m, l), DashboardJsonContext.Default.DestinationsResponse))));
        endpoints.MapGet("/v1/rules", new RequestDelegate(context =>
            ApiResults.WriteAsync(context, 200, context.RequestServices.GetRequiredService<RuleEditor>().List(), DashboardJsonContext.Default.RulesResponse)));
        endpoints.MapPost("/v1/rules", new RequestDelegate(PostRule));
        endpoints.MapDelete("/v1/rules/{number}", new RequestDelegate(context =>
        {
            var number = context.Request.RouteValues["number"]?.ToString() ?? "";
            return WriteEdit(context, context.RequestServices.GetRequiredService<RuleEditor>().Edit(["delete", number]));
        }));
        return endpoints;
    }

    private static async Task WriteInfo(HttpContext context, DashboardRole role, bool rotated)
    {
        if (DashboardListener.IsTcp(context.Connection))
        {
            await ApiResults.WriteAsync(context, StatusCodes.Status403Forbidden, new ErrorResponse(
                "the dashboard token is handed out on the unix socket only", "run `sudo outgate dashboard` (--viewer for the read-only token, --rotate for a new one)"));
            return;
        }
        var s = context.RequestServices;
        var listener = s.GetRequiredService<DashboardListener>();
        var token = s.GetRequiredService<DashboardTokens>().For(role);
        string value;
        if (rotated)
        {
            value = token.Rotate();
            // Only this role's browsers: rotating the viewer token must not log the admins out, nor the other way round.
            s.GetRequiredService<DashboardSessions>().EndAll(role);
        }
        else value = token.Value;
        var url = listener.Url;
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK,
            new DashboardInfoResponse(url, url is null ? null : $"{url}login#token={value}", value, listener.StatusText, token.Path, rotated, role.ToName()),
            DashboardJsonContext.Default.DashboardInfoResponse);
    }

    private static Task Stats(HttpContext context, Func<DashboardStats, int, int, Task> write)
    {
        var q = context.Request.Query;
        var minutes = 60;
        var limit = 20;
        if (q["minutes"].ToString() is { Length: > 0 } m && (!int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes is < 1 or > DashboardStats.MaxMinutes))
            return ApiResults.BadRequest(context, $"bad minutes '{m}'", $"give 1 to {DashboardStats.MaxMinutes}");
        if (q["limit"].ToString() is { Length: > 0 } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
            return ApiResults.BadRequest(context, $"bad limit '{l}'", "give 1 to 1000");
        return write(context.RequestServices.GetRequiredService<DashboardStats>(), minutes, limit);
    }

    private static async Task PostRule(HttpContext context)
    {
        RuleEditRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, DashboardJsonContext.Default.RuleEditRequest, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await ApiResults.BadRequest(context, $"the body is not valid JSON: {ex.Message}", """send {"command": "allow out app /usr/bin/curl to any port 443"}""");
            return;
        }
        List<string> tokens;
        if (request?.Tokens is { Count: > 0 } given) tokens = [.. given];
        else if (!CommandTokens.TrySplit(request?.Command ?? "", out tokens, out var error))
        {
            await WriteEdit(context, RuleEditOutcome.Refused("ERROR: " + error));
            return;
        }
        await WriteEdit(context, context.RequestServices.GetRequiredService<RuleEditor>().Edit(tokens));
    }

    private static Task WriteEdit(HttpContext context, RuleEditOutcome outcome)
    {
        if (!outcome.Ok)
            return ApiResults.WriteAsync(context, StatusCodes.Status400BadRequest,
                new RuleEditError(outcome.Message, outcome.Errors, null), DashboardJsonContext.Default.RuleEditError);
        var rules = context.RequestServices.GetRequiredService<Policy.LivePolicy>().Current.Policy.Rules.Count;
        return ApiResults.WriteAsync(context, StatusCodes.Status200OK,
            new RuleEditResponse(outcome.Changed, outcome.Message, rules, outcome.Note), DashboardJsonContext.Default.RuleEditResponse);
    }
}
