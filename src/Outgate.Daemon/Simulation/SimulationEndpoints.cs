using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Outgate.Daemon.Api;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Simulation;

/// <summary>
/// Policy simulation over the recorded traffic:
/// <list type="bullet">
/// <item><c>POST /v1/policy/simulate</c> with <see cref="SimulateRequest"/> → <see cref="SimulationReport"/></item>
/// <item><c>POST /v1/policy/diff</c> with <see cref="DiffRequest"/> → <see cref="DiffReport"/></item>
/// </list>
/// A candidate with errors gets 422 and <see cref="CandidateErrors"/>; nothing is ever applied.
/// </summary>
public static class SimulationEndpoints
{
    private const string SinceHint = "give since as 7d, 12h, 30m or an ISO-8601 time such as 2026-01-31T12:00:00Z (null: everything recorded)";

    public static IEndpointRouteBuilder MapSimulationApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/policy/simulate", new RequestDelegate(PostSimulate));
        endpoints.MapPost("/v1/policy/diff", new RequestDelegate(PostDiff));
        return endpoints;
    }

    /// <summary>"7d", "12h", "30m", "90s" before <paramref name="now"/>, or an ISO-8601 time (UTC unless it says otherwise); null/empty → null.</summary>
    public static bool TryParseSince(string? text, DateTimeOffset now, out DateTimeOffset? since)
    {
        since = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var s = text.Trim();
        if (char.IsAsciiDigit(s[^1]) is false && DurationSyntax.TryParse(s, out var age) && age >= TimeSpan.Zero)
        {
            since = now - age;
            return true;
        }
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            since = time;
            return true;
        }
        return false;
    }

    private static async Task PostSimulate(HttpContext context)
    {
        var request = await ReadAsync(context, SimulationJsonContext.Default.SimulateRequest,
            """send {"files": [{"name": "outgate.toml", "text": "..."}], "since": "7d", "examples": 3}""");
        if (request is null) return;
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!TryParseSince(request.Since, now, out var since))
        {
            await ApiResults.BadRequest(context, $"bad since '{request.Since}'", SinceHint);
            return;
        }
        var candidate = CandidatePolicy.TryLoad(request.Files ?? [], out var errors);
        if (candidate is null)
        {
            await WriteErrorsAsync(context, "the candidate policy", errors);
            return;
        }
        var store = context.RequestServices.GetRequiredService<EventStore>();
        var ct = context.RequestAborted;
        var report = await Task.Run(() => PolicySimulator.Simulate(RecordedConnectionReader.Read(store, since, ct), candidate, since, now,
            request.Examples ?? PolicySimulator.DefaultExamples), ct);
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK, report, SimulationJsonContext.Default.SimulationReport);
    }

    private static async Task PostDiff(HttpContext context)
    {
        var request = await ReadAsync(context, SimulationJsonContext.Default.DiffRequest,
            """send {"a": [{"name": "a.toml", "text": "..."}], "b": [{"name": "b.toml", "text": "..."}], "since": "7d"}""");
        if (request is null) return;
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!TryParseSince(request.Since, now, out var since))
        {
            await ApiResults.BadRequest(context, $"bad since '{request.Since}'", SinceHint);
            return;
        }
        var a = CandidatePolicy.TryLoad(request.A ?? [], out var errorsA);
        var b = CandidatePolicy.TryLoad(request.B ?? [], out var errorsB);
        if (a is null || b is null)
        {
            await WriteErrorsAsync(context, a is null ? "policy A" : "policy B", a is null ? errorsA : errorsB);
            return;
        }
        var store = context.RequestServices.GetRequiredService<EventStore>();
        var ct = context.RequestAborted;
        var report = await Task.Run(() => PolicySimulator.Diff(RecordedConnectionReader.Read(store, since, ct), a.Policy, b.Policy, since, now,
            request.Examples ?? PolicySimulator.DefaultExamples), ct);
        await ApiResults.WriteAsync(context, StatusCodes.Status200OK, report, SimulationJsonContext.Default.DiffReport);
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string hint) where T : class
    {
        try
        {
            var request = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
            if (request is null) await ApiResults.BadRequest(context, "the body is empty", hint);
            return request;
        }
        catch (JsonException ex)
        {
            await ApiResults.BadRequest(context, $"the body is not valid JSON: {ex.Message}", hint);
            return null;
        }
    }

    private static Task WriteErrorsAsync(HttpContext context, string what, IReadOnlyList<Outgate.Policy.PolicyError> errors)
    {
        var lines = errors.Select(e => e.ToString()).ToList();
        return ApiResults.WriteAsync(context, StatusCodes.Status422UnprocessableEntity,
            new CandidateErrors($"{what} has errors: {string.Join("; ", lines)}", lines, "fix the files and simulate again; nothing was applied"),
            SimulationJsonContext.Default.CandidateErrors);
    }
}
