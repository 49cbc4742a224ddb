using System.CommandLine;
using System.Text.Json;

namespace Outgate.Cli.Daemon;

/// <summary>
/// `outgate log [--follow] [--json] [--since T] [--type T] [--limit N]`: the daemon's event log
/// (decisions, flow ends, mode changes, alerts). Without --since, the newest --limit events.
/// --json prints one JSON object per line. Exit codes: <see cref="DaemonExitCodes"/> (Ctrl+C while following is 0).
/// </summary>
public static class LogCommand
{
    public static Command Create()
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events as they are recorded (Ctrl+C to stop)" };
        var json = new Option<bool>("--json") { Description = "One JSON object per line (fields as in GET /v1/events)" };
        var since = new Option<string?>("--since") { Description = $"Only events since this time or age: {LogSince.Examples}" };
        var type = new Option<string?>("--type") { Description = "Only this type: decision, flow-end, mode-change, alert, health, daemon" };
        var limit = new Option<int?>("--limit", "-n") { Description = "At most this many events (default 100; the newest, unless --since is given)" };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("log", "Show the daemon's event log: decisions, flow ends, mode changes, alerts");
        foreach (var o in new Option[] { follow, json, since, type, limit, socket }) cmd.Options.Add(o);
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
            if (n is < 1 or > 10_000) errors.Add($"bad --limit '{n}': give 1 to 10000");
            if (errors.Count > 0) return DaemonCommandRunner.Usage(parse, "log", errors);

            var asJson = parse.GetValue(json);
            var filter = parse.GetValue(type);
            return await DaemonCommandRunner.RunAsync(parse, "log", socket, async (client, output, ct) =>
            {
                try
                {
                    var page = await client.GetEventsAsync(from, null, n, filter, ct);
                    foreach (var e in page.Events) await Print(output, e, asJson);
                    if (!parse.GetValue(follow)) return DaemonExitCodes.Ok;
                    await output.FlushAsync(ct);
                    var after = page.Events.Count > 0 ? Math.Max(page.LastId, page.Events[^1].Id) : page.LastId;
                    await foreach (var e in client.StreamEventsAsync(after, filter, ct))
                    {
                        await Print(output, e, asJson);
                        await output.FlushAsync(ct);
                    }
                    await parse.InvocationConfiguration.Error.WriteLineAsync("outgate log: outgated closed the stream (stopped?)");
                    return DaemonExitCodes.Ok;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return DaemonExitCodes.Ok; // Ctrl+C while following is how one stops
                }
            }, ct);
        });
        return cmd;
    }

    private static Task Print(TextWriter output, EventRecord e, bool asJson) =>
        output.WriteLineAsync(asJson ? JsonSerializer.Serialize(e, CliDaemonJsonContext.Default.EventRecord) : EventLineFormatter.Format(e));
}
