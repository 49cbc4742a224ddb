using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Dns;
using Outgate.Daemon.Events;
using Outgate.Daemon.Hosting;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Daemon.Prompts;
using Outgate.Linux.ProcFs;
using Outgate.Policy;

namespace Outgate.Daemon.Api;

/// <summary>
/// The decision side of the API:
/// <list type="bullet">
/// <item><c>GET /v1/prompts</c> → <see cref="PromptsResponse"/></item>
/// <item><c>POST /v1/prompts/{id}/answer</c> with <see cref="AnswerRequest"/> → <see cref="AnswerResponse"/> (404 when the prompt is gone)</item>
/// <item><c>GET /v1/explain?event=ID</c> or <c>?exe=&amp;to=&amp;port=&amp;proto=&amp;uid=&amp;unit=&amp;container=</c> → <see cref="ExplainResponse"/></item>
/// <item><c>POST /v1/policy/reload</c> → <see cref="ReloadResponse"/> (422 with the file errors when invalid; the old policy stays)</item>
/// </list>
/// </summary>
public static class DecisionEndpoints
{
    public static IEndpointRouteBuilder MapDecisionApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/prompts", new RequestDelegate(GetPrompts));
        endpoints.MapPost("/v1/prompts/{id}/answer", new RequestDelegate(PostAnswer));
        endpoints.MapGet("/v1/explain", new RequestDelegate(GetExplain));
        endpoints.MapPost("/v1/policy/reload", new RequestDelegate(PostReload));
        return endpoints;
    }

    private static Task GetPrompts(HttpContext context)
    {
        var s = context.RequestServices;
        var defaultVerdict = PromptAnswers.Name(s.GetRequiredService<DaemonOptions>().PromptDefault);
        var views = s.GetRequiredService<PromptBook>().Pending().Select(p => new PromptView(
            p.Id, p.CreatedAt, p.ExpiresAt, p.Process.Pid > 0 ? p.Process.Pid : null, p.Process.ExecutablePath, p.Process.CommandLine,
            p.Process.UserName, p.Process.Uid, p.Process.SystemdUnit, p.Process.ContainerName ?? p.Process.ContainerId,
            Queue.QueueService.ProtocolName(p.Key.Protocol), p.Key.Destination, p.Key.Port, null, p.Waiting.Count, defaultVerdict)).ToList();
        return ApiResults.WriteAsync(context, StatusCodes.Status200OK, new PromptsResponse(views), DaemonJsonContext.Default.PromptsResponse);
    }

    private static async Task PostAnswer(HttpContext context)
    {
        var idText = context.Request.RouteValues["id"]?.ToString();
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            await ApiResults.BadRequest(context, $"bad prompt id '{idText}'", "use an id from GET /v1/prompts (`outgate prompts`)");
            return;
        }
        AnswerRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, DaemonJsonContext.Default.AnswerRequest, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await ApiResults.BadRequest(context, $"the body is not valid JSON: {ex.Message}", """send {"verdict": "allow|deny", "duration": "once|30m|1h|until-reboot|always", "scope": "app|app+host|app+port"}""");
            return;
        }
        AppVerdict verdict;
        switch (request?.Verdict?.Trim().ToLowerInvariant())
        {
            case "allow": verdict = AppVerdict.Allow; break;
            case "deny" or "reject": verdict = AppVerdict.Deny; break;
            default:
                await ApiResults.BadRequest(context, $"bad verdict '{request?.Verdict}'", "use allow or deny");
                return;
        }
        var lifetime = new RuleLifetime(RuleLifetimeKind.Once, TimeSpan.Zero);
        if (request!.Duration is { Length: > 0 } duration && !RuleLifetime.TryParse(duration, out lifetime, out var durationError))
        {
            await ApiResults.BadRequest(context, durationError);
            return;
        }
        AnswerScope scope;
        switch (request.Scope?.Trim().ToLowerInvariant())
        {
            case null or "" or "app+host": scope = AnswerScope.AppAndHost; break;
            case "app": scope = AnswerScope.App; break;
            case "app+port": scope = AnswerScope.AppAndPort; break;
            default:
                await ApiResults.BadRequest(context, $"bad scope '{request.Scope}'", "use app (the program anywhere), app+host (this destination) or app+port (this port anywhere)");
                return;
        }
        var outcome = context.RequestServices.GetRequiredService<PromptAnswers>().Answer(id, verdict, lifetime, scope);
        if (!outcome.Found)
        {
            await ApiResults.WriteAsync(context, StatusCodes.Status404NotFound,
                new ErrorResponse($"no pending prompt {id}: it was answered already or timed out", "list the open ones with `outgate prompts`"));
            return;
        }
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK,
            new AnswerResponse(id, PromptAnswers.Name(verdict), outcome.Rule, outcome.Rule is null ? "once" : lifetime.ToString(), outcome.Released, outcome.Note),
            DaemonJsonContext.Default.AnswerResponse);
    }

    private static async Task GetExplain(HttpContext context)
    {
        var s = context.RequestServices;
        var q = context.Request.Query;
        const string Hint = "ask GET /v1/explain?event=ID, or ?exe=/usr/bin/curl&to=10.0.0.2&port=443&proto=tcp (optional uid, unit, container, pid)";
        PacketFacts packet;
        ProcessFacts process;
        if (q["event"].ToString() is { Length: > 0 } eventText)
        {
            if (!long.TryParse(eventText, NumberStyles.None, CultureInfo.InvariantCulture, out var eventId) || eventId <= 0)
            {
                await ApiResults.BadRequest(context, $"bad event id '{eventText}'", "use an id from `outgate log`");
                return;
            }
            var found = s.GetRequiredService<EventStore>().Query(new EventQuery(After: eventId - 1, Limit: 1));
            if (found.Count == 0 || found[0].Id != eventId)
            {
                await ApiResults.WriteAsync(context, StatusCodes.Status404NotFound, new ErrorResponse($"no event {eventId}", "list events with `outgate log`"));
                return;
            }
            var e = found[0];
            if (e.Dst is null || !IPAddress.TryParse(e.Dst, out var dst) || e.Proto is null)
            {
                await ApiResults.BadRequest(context, $"event {eventId} is a {e.Type.ToName()} event without a connection", "explain decision or flow-end events");
                return;
            }
            IPAddress.TryParse(e.Src, out var src);
            packet = ConnectionExplainer.Facts(e.Proto, dst, e.DstPort ?? 0, src, e.SrcPort ?? 0) with
            {
                // The name the address had when it was decided, not whatever it has now.
                DestinationNames = e.Domain is { } recorded ? [recorded] : null,
            };
            process = new ProcessFacts
            {
                Pid = e.Pid ?? 0, ExecutablePath = e.Exe, Sha256 = e.Exe is null ? null : new ExecutableHasher().TryHashSha256(e.Exe),
                Uid = e.Uid ?? 0, UserName = e.User, SystemdUnit = e.Unit, ContainerName = e.Container,
            };
        }
        else
        {
            var to = q["to"].ToString();
            if (!IPAddress.TryParse(to, out var dst))
            {
                await ApiResults.BadRequest(context, to.Length == 0 ? "say which connection: event=ID or to=ADDRESS" : $"bad to '{to}': give an IP address", Hint);
                return;
            }
            var proto = q["proto"].ToString() is { Length: > 0 } p ? p : "tcp";
            if (ConnectionExplainer.ProtocolNumber(proto) < 0)
            {
                await ApiResults.BadRequest(context, $"bad proto '{proto}'", "use tcp, udp, icmp or ipv6-icmp");
                return;
            }
            var port = 0;
            if (q["port"].ToString() is { Length: > 0 } portText && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            {
                await ApiResults.BadRequest(context, $"bad port '{portText}'", "give 1 to 65535");
                return;
            }
            uint uid = 0;
            if (q["uid"].ToString() is { Length: > 0 } uidText && !uint.TryParse(uidText, NumberStyles.None, CultureInfo.InvariantCulture, out uid))
            {
                await ApiResults.BadRequest(context, $"bad uid '{uidText}'", "give a numeric uid");
                return;
            }
            var exe = q["exe"].ToString() is { Length: > 0 } x ? x : null;
            // A name given (domain=) is taken as what DNS answered; otherwise what the daemon knows now.
            IReadOnlyList<string>? names = q["domain"].ToString() is { Length: > 0 } domainText
                ? [domainText.Trim().TrimEnd('.').ToLowerInvariant()]
                : s.GetRequiredService<NameBook>().Lookup(dst).Names;
            packet = ConnectionExplainer.Facts(proto, dst, port) with { DestinationNames = names };
            process = new ProcessFacts
            {
                ExecutablePath = exe, Sha256 = exe is null ? null : new ExecutableHasher().TryHashSha256(exe), Uid = uid,
                UserName = q["user"].ToString() is { Length: > 0 } user ? user : null,
                SystemdUnit = q["unit"].ToString() is { Length: > 0 } unit ? unit : null,
                ContainerName = q["container"].ToString() is { Length: > 0 } container ? container : null,
            };
        }
        var (decision, lines) = ConnectionExplainer.Explain(s.GetRequiredService<LivePolicy>().Current, s.GetRequiredService<ModeState>().Current,
            packet, process, s.GetRequiredService<TimeProvider>().GetUtcNow());
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK, new ExplainResponse(decision.Outcome, decision.DecidedBy, lines), DaemonJsonContext.Default.ExplainResponse);
    }

    private static async Task PostReload(HttpContext context)
    {
        var live = context.RequestServices.GetRequiredService<LivePolicy>();
        var errors = live.Reload();
        if (errors.Count > 0)
        {
            await ApiResults.WriteAsync(context, StatusCodes.Status422UnprocessableEntity,
                new ErrorResponse($"the policy files are invalid, the previous policy stays in force: {string.Join("; ", errors)}", "fix the files (`outgate status` shows where) and reload again"));
            return;
        }
        var current = live.Current;
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK,
            new ReloadResponse(current.Policy.Rules.Count, true, "inet " + NftRulesetCompiler.DefaultTableName, current.Generation), DaemonJsonContext.Default.ReloadResponse);
    }
}
