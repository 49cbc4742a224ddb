using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Outgate.Daemon.Attribution;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Dns;
using Outgate.Daemon.Events;
using Outgate.Daemon.Guard;
using Outgate.Daemon.Policy;
using Outgate.Daemon.Prompts;
using Outgate.Daemon.Queue;
using Outgate.Daemon.Hosting;
using Outgate.Daemon.Options;
using Outgate.Daemon.Unix;

namespace Outgate.Daemon.Api;

/// <summary>
/// The versioned HTTP API on the unix socket:
/// <list type="bullet">
/// <item><c>GET /v1/status</c> → <see cref="StatusResponse"/></item>
/// <item><c>POST /v1/mode</c> with <see cref="ModeRequest"/> → <see cref="ModeResponse"/> (recorded as a mode-change event)</item>
/// <item><c>GET /v1/events?since=ISO-8601&amp;after=ID&amp;limit=N&amp;type=T</c> → <see cref="EventsResponse"/></item>
/// <item><c>GET /v1/events/stream?after=ID&amp;type=T</c> → server-sent events, one <see cref="DaemonEvent"/> per <c>data:</c> line</item>
/// </list>
/// Errors are <see cref="ErrorResponse"/> with status 400, 403, 404 or 500.
/// </summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapOutgateApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/status", new RequestDelegate(GetStatus));
        endpoints.MapPost("/v1/mode", new RequestDelegate(PostMode));
        endpoints.MapGet("/v1/events", new RequestDelegate(GetEvents));
        endpoints.MapGet("/v1/events/stream", new RequestDelegate(StreamEvents));
        endpoints.MapGet("/v1/dns/names", new RequestDelegate(GetDnsNames));
        endpoints.MapDecisionApi();
        Simulation.SimulationEndpoints.MapSimulationApi(endpoints);
        Proposals.ProposalEndpoints.MapProposalApi(endpoints);
        Metrics.MonitoringServiceCollectionExtensions.MapOutgateMetrics(endpoints);
        Alerts.Api.AlertEndpoints.MapAlertsApi(endpoints);
        Web.DashboardEndpoints.MapDashboardApi(endpoints);
        Fleet.FleetEndpoints.MapFleetApi(endpoints);
        Traffic.TrafficEndpoints.MapTrafficApi(endpoints);
        endpoints.MapFallback(new RequestDelegate(context => ApiResults.WriteAsync(context, StatusCodes.Status404NotFound,
            new ErrorResponse($"no such endpoint: {context.Request.Method} {context.Request.Path}", "the API is GET /v1/status, POST /v1/mode, GET /v1/events, GET /v1/events/stream, GET /v1/prompts, POST /v1/prompts/ID/answer, GET /v1/explain, POST /v1/policy/reload, POST /v1/policy/simulate, POST /v1/policy/diff, GET /v1/policy/propose, GET /v1/dns/names, GET /v1/alerts, POST /v1/alerts/ID/ack, POST /v1/alerts/ack-all, GET /metrics, GET /v1/traffic, GET /v1/fleet/status|hosts|search|top|alerts, " + Web.DashboardEndpoints.EndpointList))));
        return endpoints;
    }

    private static Task GetStatus(HttpContext context)
    {
        var s = context.RequestServices;
        var options = s.GetRequiredService<DaemonOptions>();
        var info = s.GetRequiredService<DaemonInfo>();
        var sink = s.GetRequiredService<EventSink>();
        var store = s.GetRequiredService<EventStore>();
        var c = sink.Counters;
        var reasons = new List<string>();
        if (c.Dropped > 0) reasons.Add($"{c.Dropped} events dropped under overload (event queue of {sink.Capacity} was full)");
        if (c.Failed > 0) reasons.Add($"{c.Failed} events could not be written: {c.LastError}");
        var queue = s.GetRequiredService<QueueState>();
        if (queue.Error is { } queueError) reasons.Add($"kernel queue not running: {queueError}");
        var live = s.GetRequiredService<LivePolicy>();
        if (live.LastError is { } policyError) reasons.Add($"policy not loaded: {policyError}");
        var policy = live.Current;
        var dashboard = s.GetService<Web.DashboardListener>();
        if (dashboard?.Error is { } dashboardError) reasons.Add($"dashboard not running: {dashboardError}");
        var d = s.GetRequiredService<DecisionCounters>();
        var attribution = s.GetRequiredService<ConnectionAttribution>();
        var tamper = s.GetRequiredService<TamperCounters>();
        var status = new StatusResponse(
            DaemonInfo.Version,
            s.GetRequiredService<ModeState>().Current,
            info.ProcessId,
            info.StartedAt,
            Math.Round(info.Uptime.TotalSeconds, 3),
            s.GetRequiredService<TargetNamespace>().DisplayName,
            options.SocketPath,
            options.ConfigDirectory,
            options.StateDirectory,
            Queue: queue.Path.ToString().ToLowerInvariant(),
            Health: reasons.Count == 0 ? "ok" : "degraded",
            reasons,
            new EventCountersResponse(c.Accepted, c.Written, c.Dropped, c.Failed, c.Pruned, sink.Pending, sink.Capacity, store.Count(), c.LastError))
        {
            FailOpen = policy.Policy.FailOpen,
            Queues = queue.Queues,
            Decisions = new DecisionCountersResponse(d.Allowed, d.Denied, d.Passed, d.Prompted, d.Cached, attribution.Unattributed, d.HashMismatches),
            Attribution = new AttributionResponse(attribution.Latency.PercentileMicros(50), attribution.Latency.PercentileMicros(99)),
            Memory = MemoryResponse.Read(s.GetRequiredService<Flows.FlowBook>().Count),
            KernelCache = s.GetService<KernelVerdicts>() is { } k ? new KernelCacheResponse(k.Status, k.Hits, k.Offered, k.Seen, k.Unknown, k.Failures) : null,
            PendingPrompts = s.GetRequiredService<PromptBook>().Count,
            Tamper = new TamperResponse(tamper.Restored, tamper.LastAt),
            PolicyGeneration = policy.Generation,
            PolicyRules = policy.Policy.Rules.Count,
            Dns = options.Kernel && options.Dns ? DnsStatus(s, options, policy) : null,
            Dashboard = dashboard?.StatusText,
        };
        return ApiResults.WriteAsync(context, StatusCodes.Status200OK, status, DaemonJsonContext.Default.StatusResponse);
    }

    private static DnsStatusResponse DnsStatus(IServiceProvider s, DaemonOptions options, PolicySnapshot policy)
    {
        var dns = s.GetRequiredService<DnsCounters>();
        return new DnsStatusResponse(options.EffectiveDnsQueue, dns.Answers, dns.Unreadable, dns.Addresses, s.GetRequiredService<NameBook>().Count,
            dns.SetWrites, dns.Elements, dns.SetErrors, dns.Refills, Math.Round(dns.LastWriteMicros, 1), policy.Policy.DnsRequired,
            dns.DomainSets);
    }

    private static Task GetDnsNames(HttpContext context)
    {
        var book = context.RequestServices.GetRequiredService<NameBook>();
        // Recently expired names too: a connection made while its name was valid stays labelled.
        var entries = book.Live(NameBook.DisplayRetention)
            .Select(e => new DnsNameEntry(e.Address.ToString(), e.Names.Select(n => n.Name).ToArray(), e.Names.Max(n => n.Expires)))
            .OrderBy(e => e.Address, StringComparer.Ordinal)
            .ToList();
        return ApiResults.WriteAsync(context, StatusCodes.Status200OK, new DnsNamesResponse(entries), DaemonJsonContext.Default.DnsNamesResponse);
    }

    private static async Task PostMode(HttpContext context)
    {
        ModeRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, DaemonJsonContext.Default.ModeRequest, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await ApiResults.BadRequest(context, $"the body is not valid JSON: {ex.Message}", """send {"mode": "learn|interactive|enforce|lockdown"}""");
            return;
        }
        if (!DaemonModes.TryParse(request?.Mode, out var mode))
        {
            await ApiResults.BadRequest(context, $"unknown mode '{request?.Mode}'", $"use one of {DaemonModes.Names}");
            return;
        }

        var s = context.RequestServices;
        var previous = s.GetRequiredService<ModeState>().Switch(mode);
        var changed = previous != mode;
        if (changed)
        {
            var peer = context.Features.Get<PeerCredentials>();
            var groups = s.GetRequiredService<GroupDatabase>();
            s.GetRequiredService<EventSink>().TryWrite(new DaemonEvent
            {
                Time = s.GetRequiredService<TimeProvider>().GetUtcNow(),
                Type = EventType.ModeChange,
                Severity = mode == DaemonMode.Lockdown ? EventSeverity.Warning : EventSeverity.Notice,
                Message = $"mode switched from {previous.ToName()} to {mode.ToName()}",
                Verdict = mode.ToName(),
                Pid = peer?.Pid,
                Uid = peer?.Uid,
                User = peer is null ? null : groups.FindUserName(peer.Uid),
                Exe = peer is null ? null : TryReadExe(peer.Pid),
            });
        }
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK, new ModeResponse(previous, mode, changed), DaemonJsonContext.Default.ModeResponse);
    }

    private static async Task GetEvents(HttpContext context)
    {
        if (!TryParseQuery(context, out var query, out var error))
        {
            await ApiResults.BadRequest(context, error!, "query parameters: since=ISO-8601 time, after=event id, limit=1..10000, type=" + EventNames.TypeNames);
            return;
        }
        var store = context.RequestServices.GetRequiredService<EventStore>();
        var lastId = store.LastId(); // before the query, so a cursor from here never skips an event
        var events = store.Query(query!);
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK, new EventsResponse(events, Math.Max(lastId, events.Count > 0 ? events[^1].Id : 0)), DaemonJsonContext.Default.EventsResponse);
    }

    private static async Task StreamEvents(HttpContext context)
    {
        if (!TryParseQuery(context, out var query, out var error))
        {
            await ApiResults.BadRequest(context, error!, "query parameters: after=event id, type=" + EventNames.TypeNames);
            return;
        }
        var s = context.RequestServices;
        var store = s.GetRequiredService<EventStore>();
        var signal = s.GetRequiredService<EventCommitSignal>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, s.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        var ct = stop.Token;

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        var after = query!.After ?? store.LastId();
        var body = context.Response.Body;
        try
        {
            await WriteRawAsync(body, $": outgate event stream after id {after}\n\n", ct);
            await body.FlushAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                var committed = signal.WaitAsync(); // taken before the query: a commit in between still wakes us
                var (written, last) = await WritePageAsync(body, store, after, query.Type, ct);
                after = last;
                if (written == StreamPage) continue;
                var woke = await Task.WhenAny(committed, Task.Delay(TimeSpan.FromSeconds(15), ct));
                if (woke != committed && !ct.IsCancellationRequested)
                {
                    await WriteRawAsync(body, ": keepalive\n\n", ct);
                    await body.FlushAsync(ct);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        if (context.RequestAborted.IsCancellationRequested) return;

        // The daemon is stopping: let the writer commit what was accepted (the "stopping" event
        // among it), up to a second, and send it before closing the stream.
        try
        {
            var counters = s.GetRequiredService<EventSink>().Counters;
            // Stopping callbacks run newest first, so ours usually runs before the one that records the event: wait
            // (up to a second) for it to be accepted rather than a fixed time a loaded machine may overrun.
            var acceptedAtStop = counters.Accepted;
            for (var i = 0; i < 50 && counters.Accepted == acceptedAtStop; i++)
                await Task.Delay(20, context.RequestAborted);
            for (var i = 0; i < 50 && counters.Written + counters.Failed < counters.Accepted; i++)
                await Task.Delay(20, context.RequestAborted);
            int written;
            do (written, after) = await WritePageAsync(body, store, after, query.Type, context.RequestAborted);
            while (written == StreamPage);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private const int StreamPage = 1000;

    /// <summary>Writes the events after <paramref name="after"/> as SSE messages; returns how many and the new cursor.</summary>
    private static async Task<(int Written, long After)> WritePageAsync(Stream body, EventStore store, long after, EventType? type, CancellationToken ct)
    {
        var page = store.Query(new EventQuery(After: after, Limit: StreamPage, Type: type));
        foreach (var e in page)
        {
            await WriteRawAsync(body, $"id: {e.Id.ToString(CultureInfo.InvariantCulture)}\nevent: {e.Type.ToName()}\ndata: ", ct);
            await JsonSerializer.SerializeAsync(body, e, DaemonJsonContext.Default.DaemonEvent, ct);
            await WriteRawAsync(body, "\n\n", ct);
            after = e.Id;
        }
        if (page.Count > 0) await body.FlushAsync(ct);
        return (page.Count, after);
    }

    private static ValueTask WriteRawAsync(Stream body, string text, CancellationToken ct) =>
        body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), ct);

    private static bool TryParseQuery(HttpContext context, out EventQuery? query, out string? error)
    {
        var q = context.Request.Query;
        query = null;
        error = null;
        DateTimeOffset? since = null;
        long? after = null;
        var limit = EventQuery.DefaultLimit;
        EventType? type = null;
        if (q["since"].ToString() is { Length: > 0 } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) { error = $"bad since '{sinceText}': give an ISO-8601 time such as 2026-01-31T12:00:00Z"; return false; }
            since = t;
        }
        if (q["after"].ToString() is { Length: > 0 } afterText)
        {
            if (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out var a)) { error = $"bad after '{afterText}': give an event id"; return false; }
            after = a;
        }
        if (q["limit"].ToString() is { Length: > 0 } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > EventQuery.MaxLimit) { error = $"bad limit '{limitText}': give 1 to {EventQuery.MaxLimit}"; return false; }
        }
        if (q["type"].ToString() is { Length: > 0 } typeText)
        {
            if (!EventNames.TryParseType(typeText, out var t)) { error = $"unknown type '{typeText}': use one of {EventNames.TypeNames}"; return false; }
            type = t;
        }
        query = new EventQuery(since, after, limit, type);
        return true;
    }

    private static string? TryReadExe(int pid)
    {
        try { return File.ResolveLinkTarget($"/proc/{pid}/exe", returnFinalTarget: false)?.FullName; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
