using System.CommandLine;
using System.Text.Json;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.Top;

/// <summary>
/// <c>outgate top [--interval 1s] [--sort out|in|connections|name] [--once] [--json]</c>: live bandwidth and
/// connections per application, like nethogs (keys in <see cref="TopState"/>). Without a terminal on stdin and
/// stdout it prints one table and exits, as with --once; --json prints one snapshot (GET /v1/traffic) and exits.
/// Exit codes: <see cref="DaemonExitCodes"/>.
/// </summary>
public static class TopCommand
{
    public static Command Create()
    {
        var interval = new Option<string>("--interval") { Description = $"How often to refresh ({TopInterval.Examples}; default 1s)", DefaultValueFactory = _ => "1s" };
        var sort = new Option<string>("--sort") { Description = $"Sort by {TopSorts.Names} (default out)", DefaultValueFactory = _ => "out" };
        var once = new Option<bool>("--once") { Description = "Print one table and exit (the default when stdout or stdin is not a terminal)" };
        var json = new Option<bool>("--json") { Description = "Print one snapshot as JSON (fields as in GET /v1/traffic) and exit" };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("top", "Live bandwidth and connections per application (keys: o/i/c/n sort, / filter, b block, q quit)");
        foreach (var o in new Option[] { interval, sort, once, json, socket }) cmd.Options.Add(o);
        cmd.SetAction(async (parse, ct) =>
        {
            var errors = new List<string>();
            if (!TopInterval.TryParse(parse.GetValue(interval), out var every))
                errors.Add($"bad --interval '{parse.GetValue(interval)}': give {TopInterval.Min.TotalMilliseconds:0} ms to {TopInterval.Max.TotalHours:0} h, e.g. {TopInterval.Examples}");
            if (!TopSorts.TryParse(parse.GetValue(sort), out var order))
                errors.Add($"bad --sort '{parse.GetValue(sort)}': use one of {TopSorts.Names}");
            if (errors.Count > 0) return DaemonCommandRunner.Usage(parse, "top", errors);

            var output = parse.InvocationConfiguration.Output;
            var asJson = parse.GetValue(json);
            var interactive = !asJson && !parse.GetValue(once) && IsTerminal(output);
            return await DaemonCommandRunner.RunAsync(parse, "top", socket, async (_, writer, ct) =>
            {
                // Polled every interval: a hung daemon is reported after 10 s, not the usual 30.
                using var client = new DaemonClient(parse.GetValue(socket)!) { RequestTimeout = TimeSpan.FromSeconds(10) };
                if (interactive) return await new TopScreen(client, parse, every, order).RunAsync(ct);
                var snapshot = await client.GetTrafficAsync(ct);
                if (asJson) await writer.WriteLineAsync(JsonSerializer.Serialize(snapshot, TopJsonContext.Default.TrafficSnapshot));
                else await writer.WriteAsync(TopRows.Text(TopRows.Select(snapshot.Apps, order, null), snapshot.Time, order, null));
                return DaemonExitCodes.Ok;
            }, ct);
        });
        return cmd;
    }

    /// <summary>The live view needs a terminal both ways: keys from stdin and a screen to redraw on stdout.</summary>
    private static bool IsTerminal(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && !Console.IsInputRedirected;
}
