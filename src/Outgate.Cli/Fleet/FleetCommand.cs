using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.Fleet;

/// <summary>
/// <c>outgate fleet hosts|search|top|alerts|status</c>: the fleet database, through the local outgated (which holds the
/// connection string; the CLI never sees it). Every subcommand takes --json (the daemon's answer as is) and --socket.
/// Exit codes: 0 done; 1 bad input; 2 outgated not reachable; 3 outgated has no fleet database or it failed.
/// </summary>
public static class FleetCommand
{
    public const int NoFleet = 3;

    public static Command Create()
    {
        var cmd = new Command("fleet", "Hosts, searches, top talkers and alerts across every host shipping to the fleet database (docs/fleet.md)");
        cmd.Subcommands.Add(Hosts());
        cmd.Subcommands.Add(Search());
        cmd.Subcommands.Add(Top());
        cmd.Subcommands.Add(Alerts());
        cmd.Subcommands.Add(Status());
        return cmd;
    }

    private static Command Hosts()
    {
        var expect = new Option<string?>("--expect") { Description = "Policy digest every host should run (default: the most common one); others are marked drifted" };
        var (json, socket) = Common();
        var cmd = new Command("hosts", "Hosts in the fleet: last heartbeat, mode, policy digest, drift") { expect, json, socket };
        cmd.SetAction((parse, ct) => Run(parse, "fleet hosts", socket, json,
            "v1/fleet/hosts" + (parse.GetValue(expect) is { Length: > 0 } e ? "?expect=" + Uri.EscapeDataString(e) : ""),
            body => FleetText.Hosts(JsonSerializer.Deserialize(body, FleetCliJsonContext.Default.FleetHosts)!, DateTimeOffset.UtcNow), ct));
        return cmd;
    }

    private static Command Search()
    {
        var domain = new Option<string?>("--domain") { Description = "A domain; its subdomains match too" };
        var dst = new Option<string?>("--dst") { Description = "A destination address" };
        var app = new Option<string?>("--app") { Description = "A program's executable path" };
        var since = SinceOption();
        var limit = new Option<int>("--limit") { Description = "At most this many lines (default 100)", DefaultValueFactory = _ => 100 };
        var (json, socket) = Common();
        var cmd = new Command("search", "Which hosts talked to a domain, an address, or ran a program that did") { domain, dst, app, since, limit, json, socket };
        cmd.SetAction((parse, ct) =>
        {
            var given = new[] { ("domain", parse.GetValue(domain)), ("dst", parse.GetValue(dst)), ("exe", parse.GetValue(app)) }
                .Where(p => !string.IsNullOrWhiteSpace(p.Item2)).ToList();
            if (given.Count != 1)
                return Task.FromResult(DaemonCommandRunner.Usage(parse, "fleet search", [given.Count == 0 ? "give one of --domain, --dst, --app" : "give only one of --domain, --dst, --app"]));
            var path = $"v1/fleet/search?{given[0].Item1}={Uri.EscapeDataString(given[0].Item2!)}&since={Uri.EscapeDataString(parse.GetValue(since)!)}&limit={parse.GetValue(limit).ToString(CultureInfo.InvariantCulture)}";
            return Run(parse, "fleet search", socket, json, path,
                body => FleetText.Search(JsonSerializer.Deserialize(body, FleetCliJsonContext.Default.FleetSearchResult)!), ct);
        });
        return cmd;
    }

    private static Command Top()
    {
        var since = SinceOption();
        var limit = new Option<int>("--limit") { Description = "Lines per list (default 10)", DefaultValueFactory = _ => 10 };
        var (json, socket) = Common();
        var cmd = new Command("top", "The programs and destinations with the most connections across the fleet") { since, limit, json, socket };
        cmd.SetAction((parse, ct) => Run(parse, "fleet top", socket, json,
            $"v1/fleet/top?since={Uri.EscapeDataString(parse.GetValue(since)!)}&limit={parse.GetValue(limit).ToString(CultureInfo.InvariantCulture)}",
            body => FleetText.Top(JsonSerializer.Deserialize(body, FleetCliJsonContext.Default.FleetTop)!), ct));
        return cmd;
    }

    private static Command Alerts()
    {
        var since = SinceOption();
        var limit = new Option<int>("--limit") { Description = "At most this many alerts (default 100)", DefaultValueFactory = _ => 100 };
        var (json, socket) = Common();
        var cmd = new Command("alerts", "Alerts from every host, newest first") { since, limit, json, socket };
        cmd.SetAction((parse, ct) => Run(parse, "fleet alerts", socket, json,
            $"v1/fleet/alerts?since={Uri.EscapeDataString(parse.GetValue(since)!)}&limit={parse.GetValue(limit).ToString(CultureInfo.InvariantCulture)}",
            body => FleetText.Alerts(JsonSerializer.Deserialize(body, FleetCliJsonContext.Default.FleetAlerts)!), ct));
        return cmd;
    }

    private static Command Status()
    {
        var (json, socket) = Common();
        var cmd = new Command("status", "This host's shipping to the fleet database: connected, lag, last error") { json, socket };
        cmd.SetAction((parse, ct) => Run(parse, "fleet status", socket, json, "v1/fleet/status",
            body => FleetText.Status(JsonSerializer.Deserialize(body, FleetCliJsonContext.Default.FleetStatus)!), ct));
        return cmd;
    }

    private static Option<string> SinceOption() => new("--since")
    {
        Description = "How far back: an age like 90m, 12h, 7d, or an ISO-8601 time (default 1d)",
        DefaultValueFactory = _ => "1d",
    };

    private static (Option<bool> Json, Option<string> Socket) Common() =>
        (new Option<bool>("--json") { Description = "The daemon's answer as JSON" }, DaemonSocketOption.Create());

    private static async Task<int> Run(ParseResult parse, string command, Option<string> socket, Option<bool> json, string path, Func<string, string> render, CancellationToken ct)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        using var client = new FleetClient(parse.GetValue(socket)!);
        try
        {
            var body = await client.GetAsync(path, ct);
            await output.WriteAsync(parse.GetValue(json) ? body.TrimEnd() + "\n" : render(body));
            return DaemonExitCodes.Ok;
        }
        catch (DaemonUnavailableException ex)
        {
            await error.WriteLineAsync($"outgate {command}: {ex.Message}");
            return DaemonExitCodes.Daemon;
        }
        catch (FleetUnavailableException ex)
        {
            await error.WriteLineAsync($"outgate {command}: {ex.Message}{(ex.Hint is null ? "" : $" ({ex.Hint})")}");
            return NoFleet;
        }
        catch (DaemonRequestException ex)
        {
            await error.WriteLineAsync($"outgate {command}: {ex.Message}{(ex.Hint is null ? "" : $" ({ex.Hint})")}");
            return DaemonExitCodes.Usage;
        }
        catch (JsonException ex)
        {
            await error.WriteLineAsync($"outgate {command}: outgated sent an answer this outgate cannot read ({ex.Message}): are outgate and outgated the same version?");
            return DaemonExitCodes.Daemon;
        }
    }
}
