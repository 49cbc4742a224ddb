using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Outgate.Cli.Connections;

namespace Outgate.Cli.Daemon;

/// <summary>
/// <c>outgate explain EVENT_ID</c> (why a recorded connection got its verdict) or
/// <c>outgate explain --exe PATH --to ADDR --port N [--proto tcp|udp] [--user U] [--unit U] [--container C] [--pid N] [--domain NAME]</c>
/// (what the live policy would do with such a connection). <c>--json</c> prints the daemon's answer.
/// Exit codes: <see cref="DaemonExitCodes"/>.
/// </summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var eventId = new Argument<string?>("event-id") { Description = "An event's ID, as `outgate log --json` shows it", Arity = ArgumentArity.ZeroOrOne, HelpName = "EVENT_ID" };
        var exe = new Option<string?>("--exe") { Description = "The program's full path, e.g. /usr/bin/curl", HelpName = "PATH" };
        var to = new Option<string?>("--to") { Description = "Destination IP address", HelpName = "ADDR" };
        var port = new Option<int?>("--port") { Description = "Destination port (1-65535)", HelpName = "N" };
        var proto = new Option<string>("--proto") { Description = "tcp or udp", HelpName = "tcp|udp", DefaultValueFactory = _ => "tcp" };
        var user = new Option<string?>("--user") { Description = "The user the program runs as: a name or a uid", HelpName = "NAME|UID" };
        var unit = new Option<string?>("--unit") { Description = "The systemd unit it runs in, e.g. nginx.service" };
        var container = new Option<string?>("--container") { Description = "The container it runs in" };
        var pid = new Option<int?>("--pid") { Description = "A running process to take the remaining facts from" };
        var domain = new Option<string?>("--domain") { Description = "Judge as if DNS had answered --to for this name (default: the names outgated learned for it)", HelpName = "NAME" };
        var json = new Option<bool>("--json") { Description = """The daemon's answer as JSON: {"verdict", "decidedBy", "lines"}""" };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("explain", "Explain a verdict: `explain EVENT_ID` for a recorded connection, or `explain --exe PATH --to ADDR --port N` for what the live policy would do");
        cmd.Arguments.Add(eventId);
        foreach (var o in new Option[] { exe, to, port, proto, user, unit, container, pid, domain, json, socket }) cmd.Options.Add(o);
        cmd.SetAction((parse, ct) =>
        {
            var errors = new List<string>();
            long? id = null;
            HypotheticalConnection? connection = null;
            var described = new Option[] { exe, to, port, user, unit, container, pid, domain }.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (parse.GetResult(proto) is { Implicit: false }) described.Add(proto.Name);
            if (parse.GetValue(eventId) is { } idText)
            {
                if (long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) id = n;
                else errors.Add($"bad event ID '{Printable.Escape(idText)}': give the number from `outgate log --json` (\"id\")");
                if (described.Count > 0)
                    errors.Add($"give an event ID or a connection ({string.Join(", ", described)}), not both");
            }
            else if (described.Count == 0)
            {
                errors.Add("say what to explain: an event ID (`outgate explain 1234`) or a connection (`outgate explain --exe /usr/bin/curl --to 10.0.0.2 --port 443`)");
            }
            else
            {
                connection = Describe(parse, errors, exe, to, port, proto, user, unit, container, pid);
                if (connection is not null && parse.GetValue(domain) is { } name)
                {
                    if (name.Length is 0 or > 253 || name.Any(ch => char.IsControl(ch) || char.IsWhiteSpace(ch) || ch is '/' or '*'))
                        errors.Add($"bad --domain '{Printable.Escape(name)}': give a host name such as updates.example.com");
                    else connection = connection with { Domain = name };
                }
            }
            if (errors.Count > 0)
                return Task.FromResult(DaemonCommandRunner.Usage(parse, "explain", errors));

            return DaemonCommandRunner.RunAsync(parse, "explain", socket, async (client, output, ct) =>
            {
                var explanation = id is { } eid
                    ? await client.ExplainEventAsync(eid, ct)
                    : await client.ExplainConnectionAsync(connection!, ct);
                await output.WriteAsync(parse.GetValue(json)
                    ? JsonSerializer.Serialize(explanation, CliDaemonJsonContext.Default.Explanation) + "\n"
                    : ExplanationText.Format(explanation));
                return DaemonExitCodes.Ok;
            }, ct);
        });
        return cmd;
    }

    /// <summary>Checks the connection options, adding every problem to <paramref name="errors"/>; null when any is wrong.</summary>
    private static HypotheticalConnection? Describe(ParseResult parse, List<string> errors, Option<string?> exe, Option<string?> to, Option<int?> port,
        Option<string> proto, Option<string?> user, Option<string?> unit, Option<string?> container, Option<int?> pid)
    {
        var path = parse.GetValue(exe);
        if (path is null) errors.Add("--exe is missing: give the program's full path, e.g. --exe /usr/bin/curl");
        else if (!path.StartsWith('/')) errors.Add($"bad --exe '{Printable.Escape(path)}': give the full path, e.g. /usr/bin/curl (`command -v {Printable.Escape(path)}` prints it)");
        IPAddress? address = null;
        if (parse.GetValue(to) is not { } toText) errors.Add("--to is missing: give the destination IP address, e.g. --to 10.0.0.2");
        else if (!IPAddress.TryParse(toText, out address)) errors.Add($"bad --to '{Printable.Escape(toText)}': give an IP address such as 10.0.0.2 or fd00::2");
        var portNumber = parse.GetValue(port);
        if (portNumber is null) errors.Add("--port is missing: give the destination port, e.g. --port 443");
        else if (portNumber is < 1 or > 65535) errors.Add($"bad --port '{portNumber}': give 1 to 65535");
        var protoText = parse.GetValue(proto)!.Trim().ToLowerInvariant();
        if (protoText is not ("tcp" or "udp")) errors.Add($"bad --proto '{Printable.Escape(protoText)}': write tcp or udp");
        uint? uid = null;
        if (parse.GetValue(user) is { } userText)
        {
            if (UserIds.TryResolve(userText, out var u)) uid = u;
            else errors.Add($"unknown --user '{Printable.Escape(userText)}': give a user name from /etc/passwd or a uid");
        }
        if (parse.GetValue(pid) is < 1) errors.Add($"bad --pid '{parse.GetValue(pid)}': give a process id");
        if (errors.Count > 0) return null;
        return new HypotheticalConnection(path!, address!, portNumber!.Value, protoText)
        {
            Uid = uid,
            Unit = parse.GetValue(unit),
            Container = parse.GetValue(container),
            Pid = parse.GetValue(pid),
        };
    }
}
