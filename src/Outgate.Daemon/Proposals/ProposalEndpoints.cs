using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Outgate.Daemon.Api;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;
using Outgate.Policy;

namespace Outgate.Daemon.Proposals;

/// <summary>
/// <c>GET /v1/policy/propose?since=7d&amp;hashes=false</c> → <see cref="ProposalResponse"/>: a policy proposed from the
/// recorded decisions (<see cref="PolicyProposer"/>). <c>since</c> is an age (<c>90m</c>, <c>12h</c>, <c>7d</c>) or an
/// ISO-8601 time; default 7d. The answer's TOML has been read back through <see cref="PolicyFileSet.FromFiles"/>: a
/// proposal that would not load is a 500, never a file handed out.
/// </summary>
public static class ProposalEndpoints
{
    /// <summary>The most decisions one proposal reads (about 2 GB of rows would be far beyond any retention setting).</summary>
    public const long MaxDecisions = 10_000_000;

    /// <summary>The most alerts one proposal correlates.</summary>
    public const long MaxAlerts = 100_000;

    public static IEndpointRouteBuilder MapProposalApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/policy/propose", new RequestDelegate(GetProposal));
        return endpoints;
    }

    private static async Task GetProposal(HttpContext context)
    {
        var s = context.RequestServices;
        var now = s.GetRequiredService<TimeProvider>().GetUtcNow();
        var query = context.Request.Query;
        if (!TryParseSince(query["since"], now, out var since))
        {
            await Error(context, StatusCodes.Status400BadRequest, $"since='{Printable(query["since"])}' is neither an age nor a time", "use an age like 90m, 12h, 7d or an ISO-8601 time like 2026-11-01T00:00:00Z");
            return;
        }

        var hashesText = query["hashes"].ToString();
        if (hashesText is not ("" or "true" or "false" or "1" or "0"))
        {
            await Error(context, StatusCodes.Status400BadRequest, $"hashes='{Printable(hashesText)}' is not a boolean", "use hashes=true or hashes=false");
            return;
        }

        var settings = new ProposalSettings { Since = since, Now = now, Hashes = hashesText is "true" or "1" };
        var store = s.GetRequiredService<EventStore>();
        // SQLite reads and hashing are blocking: keep them off the request thread pool's fast path.
        var (proposal, truncated) = await Task.Run(() =>
        {
            var alerts = store.ReadSince(since - settings.AlertWindow, EventType.Alert, MaxAlerts).Where(a => a.Exe is not null || a.Dst is not null).ToList();
            long read = 0;
            var decisions = store.ReadSince(since, EventType.Decision, MaxDecisions).Select(e => { read++; return e; });
            var result = PolicyProposer.Propose(decisions, alerts, settings);
            return (result, read >= MaxDecisions);
        }, context.RequestAborted);

        var toml = ProposalToml.Write(proposal, settings);
        if (RoundTripProblem(toml, proposal) is { } problem)
        {
            await Error(context, StatusCodes.Status500InternalServerError, "the proposed policy does not read back as written: " + problem, "this is a bug in outgated; please report it with the output of `outgate log --since` for the period");
            return;
        }

        var response = new ProposalResponse(
            toml, now, since, proposal.Connections, proposal.Proposed, proposal.Reviewed, proposal.Loopback, truncated,
            proposal.Rules.Select(r => new ProposalRuleResponse(r.Rule.ToUfwString(), ProposalToml.SubjectText(r.Rule.Subject!), r.Purpose, r.Count, r.First, r.Last, r.Notes)).ToList(),
            proposal.Review.Select(r => new ProposalReviewResponse(r.Program, r.Destination, r.Domain, r.Port, r.Proto, r.Reason, r.Count, r.First, r.Last)).ToList(),
            proposal.ReviewOmitted,
            truncated ? [.. proposal.Notes, $"only the first {MaxDecisions} decisions since {PolicyProposer.Stamp(since)} were read: use a later --since"] : proposal.Notes);
        await ApiResultsWrite(context, StatusCodes.Status200OK, response);
    }

    /// <summary>Why <paramref name="toml"/> does not load as exactly the proposed rules, or null when it does.</summary>
    public static string? RoundTripProblem(string toml, Proposal proposal)
    {
        const string dir = "/proposal";
        var load = PolicyFileSet.FromFiles(dir, [new PolicyFile(Path.Combine(dir, PolicyFileSet.MainFileName), toml)]);
        if (!load.Succeeded) return string.Join("; ", load.Errors.Select(e => e.ToString()));
        var loaded = load.FileSet!.Policy;
        if (loaded.Defaults.Outgoing != DefaultPolicy.Deny) return "default outgoing is not deny";
        if (!loaded.Rules.SequenceEqual(proposal.Rules.Select(r => r.Rule)))
        {
            var first = loaded.Rules.Zip(proposal.Rules).Select((pair, i) => (pair, i)).FirstOrDefault(x => x.pair.First != x.pair.Second.Rule);
            return $"{loaded.Rules.Count} rules read for {proposal.Rules.Count} proposed"
                + (first.pair.First is null ? "" : $"; rule {first.i + 1} reads as '{first.pair.First.ToUfwString()}' instead of '{first.pair.Second.Rule.ToUfwString()}'");
        }

        return null;
    }

    private static bool TryParseSince(string? text, DateTimeOffset now, out DateTimeOffset since)
    {
        if (string.IsNullOrWhiteSpace(text)) { since = now - TimeSpan.FromDays(7); return true; }
        if (DurationSyntax.TryParse(text, out var age) && age >= TimeSpan.Zero && age <= TimeSpan.FromDays(100_000))
        {
            since = now - age;
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out since);
    }

    private static string Printable(string? text) => text is null ? "" : new string([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);

    private static Task Error(HttpContext context, int status, string error, string hint) =>
        ApiResultsWrite(context, status, new ErrorResponse(error, hint));

    private static async Task ApiResultsWrite(HttpContext context, int status, ProposalResponse value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, value, ProposalJsonContext.Default.ProposalResponse, context.RequestAborted);
    }

    private static async Task ApiResultsWrite(HttpContext context, int status, ErrorResponse value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, value, ProposalJsonContext.Default.ErrorResponse, context.RequestAborted);
    }
}
