using System.CommandLine;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.Alerts;

/// <summary>
/// <c>outgate alerts [--all] [--json] [--since T] [-n N]</c>: open alerts newest first (with --all the acknowledged ones
/// too, marked ✓); <c>outgate alerts ack ID...</c> and <c>outgate alerts ack --all</c> acknowledge them.
/// Exit codes: <see cref="DaemonExitCodes"/>; acknowledging an unknown id is a usage error (1) after the others are done.
/// </summary>
public static class AlertsCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Include acknowledged alerts (marked ✓)" };
        var json = new Option<bool>("--json") { Description = "One JSON object per line (fields as in GET /v1/alerts)" };
        var since = new Option<string?>("--since") { Description = $"Only alerts since this time or age: {LogSince.Examples}" };
        var limit = new Option<int?>("-n", "--limit") { Description = "At most this many alerts, the newest (default 100)" };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("alerts", "List the alerts raised by outgated's detectors (newest first) and acknowledge them");
        foreach (var o in new Option[] { all, json, since, limit, socket }) cmd.Options.Add(o);
        cmd.Subcommands.Add(CreateAck());
        cmd.SetAction(async (parse, ct) =>
        {
            var errors = new List<string>();
            DateTimeOffset? from = null;
            if (parse.GetValue(since) is { } sinceText)
            {
                if (LogSince.TryParse(sinceText, DateTimeOffset.Now, out var t)) from = t;
                else errors.Add($"bad --since '{sinceText}': give an age or a time, e.g. {LogSince.Examples}");
            }
            var n = parse.GetValue(limit);
            if (n is < 1 or > 10_000) errors.Add($"bad -n '{n}': give 1 to 10000");
            if (errors.Count > 0) return DaemonCommandRunner.Usage(parse, "alerts", errors);

            return await DaemonCommandRunner.RunAsync(parse, "alerts", socket, async (daemon, output, ct) =>
            {
                using var client = new AlertsClient(daemon);
                var includeAcked = parse.GetValue(all);
                var page = await client.ListAsync(n, from, includeAcked, ct);
                var rows = page.Alerts.Select(AlertRow.From).ToList();
                if (parse.GetValue(json))
                {
                    foreach (var r in rows) await output.WriteLineAsync(r.Json);
                    return DaemonExitCodes.Ok;
                }
                if (rows.Count == 0)
                {
                    await output.WriteLineAsync(includeAcked ? "No alerts." : "No open alerts (see acknowledged ones with `outgate alerts --all`).");
                    return DaemonExitCodes.Ok;
                }
                await output.WriteAsync(AlertTableWriter.Render(rows, TimeZoneInfo.Local));
                if (page.Unacknowledged > 0)
                    await output.WriteLineAsync($"{DaemonText.Count(page.Unacknowledged, "open alert")}; acknowledge with `outgate alerts ack ID...` or `outgate alerts ack --all`");
                return DaemonExitCodes.Ok;
            }, ct);
        });
        return cmd;
    }

    private static Command CreateAck()
    {
        var ids = new Argument<string[]>("ID") { Description = "Alert ids as `outgate alerts` lists them", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all", "-a") { Description = "Acknowledge every open alert" };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("ack", "Acknowledge alerts: `outgate alerts ack ID...` or `outgate alerts ack --all`");
        cmd.Arguments.Add(ids);
        cmd.Options.Add(all);
        cmd.Options.Add(socket);
        cmd.SetAction(async (parse, ct) =>
        {
            var texts = parse.GetValue(ids) ?? [];
            var everything = parse.GetValue(all);
            var errors = new List<string>();
            var numbers = new List<long>();
            foreach (var t in texts)
            {
                if (long.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0) numbers.Add(id);
                else errors.Add($"'{t}' is not an alert id (a positive number from `outgate alerts`)");
            }
            if (everything && numbers.Count > 0) errors.Add("give alert ids or --all, not both");
            if (!everything && texts.Length == 0) errors.Add("which alerts? give their ids (`outgate alerts ack 12 13`) or --all");
            if (errors.Count > 0) return DaemonCommandRunner.Usage(parse, "alerts ack", errors);

            return await DaemonCommandRunner.RunAsync(parse, "alerts ack", socket, async (daemon, output, ct) =>
            {
                using var client = new AlertsClient(daemon);
                if (everything)
                {
                    var done = await client.AcknowledgeAllAsync(ct);
                    await output.WriteLineAsync(done.Acknowledged == 0 ? "No open alerts." : $"Acknowledged {DaemonText.Count(done.Acknowledged, "alert")} as {done.By}.");
                    return DaemonExitCodes.Ok;
                }
                var failed = 0;
                foreach (var id in numbers)
                {
                    try
                    {
                        var r = await client.AcknowledgeAsync(id, ct);
                        await output.WriteLineAsync(r.AlreadyAcknowledged
                            ? $"Alert {id} was already acknowledged by {r.Acknowledged.By ?? "?"} at {r.Acknowledged.Time.ToLocalTime():yyyy-MM-dd HH:mm:ss}."
                            : $"Acknowledged alert {id}.");
                    }
                    catch (DaemonRequestException ex) when (ex.Status == 404 && !ex.Message.StartsWith("no such endpoint", StringComparison.Ordinal))
                    {
                        failed++;
                        await parse.InvocationConfiguration.Error.WriteLineAsync($"outgate alerts ack: {ex.Message}{(ex.Hint is null ? "" : $" ({ex.Hint})")}");
                    }
                }
                return failed == 0 ? DaemonExitCodes.Ok : DaemonExitCodes.Usage;
            }, ct);
        });
        return cmd;
    }
}
