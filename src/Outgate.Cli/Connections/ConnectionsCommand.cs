using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Outgate.Linux.SockDiag;

namespace Outgate.Cli.Connections;

/// <summary>
/// `outgate connections`: every socket the kernel reports (sock_diag), attributed to its process,
/// user, executable, systemd unit or container. Exit codes: 0 listed (possibly nothing), 1 bad
/// command line, 2 the kernel cannot answer (sock_diag missing), 130 interrupted while watching.
/// </summary>
public static class ConnectionsCommand
{
    public const int ExitOk = 0, ExitUsage = 1, ExitKernel = 2;

    private static readonly Option<bool> Listening = new("--listening", "-l") { Description = "Only listening sockets (TCP LISTEN, unconnected UDP/raw)" };
    private static readonly Option<bool> Established = new("--established") { Description = "Only established connections" };
    private static readonly Option<bool> All = new("--all", "-a") { Description = "All sockets (the default; accepted for netstat habits)" };
    private static readonly Option<bool> Programs = new("--programs", "-p") { Description = "Show processes (always on; accepted for netstat habits)" };
    private static readonly Option<bool> V4 = new("-4", "--ipv4") { Description = "Only IPv4 sockets" };
    private static readonly Option<bool> V6 = new("-6", "--ipv6") { Description = "Only IPv6 sockets" };
    private static readonly Option<bool> Tcp = new("--tcp", "-t") { Description = "Only TCP" };
    private static readonly Option<bool> Udp = new("--udp", "-u") { Description = "Only UDP (and UDP-Lite)" };
    private static readonly Option<bool> Raw = new("--raw", "-w") { Description = "Only raw sockets" };
    private static readonly Option<bool> Numeric = new("--numeric", "-n") { Description = "Numeric addresses and ports (always: Outgate never looks up names for display, since a lookup is itself outgoing traffic)" };
    private static readonly Option<string[]> Pid = new("--pid") { Description = "Only sockets held by these process ids (repeat or comma-separate)", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string> App = new("--app") { Description = "Only this program: a name (curl) or an executable path (/usr/bin/curl)" };
    private static readonly Option<string> User = new("--user") { Description = "Only sockets owned by this user name or uid" };
    private static readonly Option<string> Port = new("--port") { Description = "Only this local or remote port: 443, 80,443 or 8000-8100" };
    private static readonly Option<string[]> Remote = new("--remote") { Description = "Only connections to this address or CIDR (repeatable): 10.0.0.0/8, 2001:db8::/32" };
    private static readonly Option<string[]> State = new("--state") { Description = "Only these states (repeatable or comma-separated): " + SocketNames.AcceptedStates };
    private static readonly Option<bool> Json = new("--json") { Description = "JSON output (schema outgate.connections/v1, see docs/connections.md)" };
    private static readonly Option<bool> Csv = new("--csv") { Description = "CSV output with a header row (same fields as --json)" };
    private static readonly Option<bool> Wide = new("--wide", "-W") { Description = "Add the full command line of each process" };
    private static readonly Option<bool> Hash = new("--hash") { Description = "Add the SHA-256 of each executable (cached by device, inode and mtime)" };
    private static readonly Option<string?> Watch = new("--watch") { Description = "Refresh every SECONDS (default 1) and mark new (+) and closed (-) sockets", Arity = ArgumentArity.ZeroOrOne, HelpName = "SECONDS" };
    private static readonly Option<int?> Count = new("--count") { Description = "With --watch: stop after this many refreshes" };

    private static readonly Option<string> Socket = Daemon.DaemonSocketOption.Create();

    public static Command Create()
    {
        var cmd = new Command("connections", "List sockets with the process, user, unit and traffic behind each (an attributed netstat/ss/lsof)");
        cmd.Aliases.Add("conns");
        foreach (var o in new Option[] { Listening, Established, All, Programs, V4, V6, Tcp, Udp, Raw, Numeric, Pid, App, User, Port, Remote, State, Json, Csv, Wide, Hash, Watch, Count, Socket })
            cmd.Options.Add(o);
        cmd.SetAction(async (parse, ct) =>
        {
            var errors = new List<string>();
            var query = BuildQuery(parse, errors);
            if (parse.GetValue(Json) && parse.GetValue(Csv)) errors.Add("--json and --csv cannot be combined: pick one output format");
            var watch = ParseWatch(parse, errors);
            var count = parse.GetValue(Count);
            if (count is <= 0) errors.Add($"bad --count '{count}': give a positive number of refreshes, e.g. --count 10");
            if (count is not null && watch is null) errors.Add("--count only makes sense with --watch, e.g. --watch 2 --count 10");
            if (errors.Count > 0)
            {
                foreach (var e in errors) Console.Error.WriteLine("outgate connections: " + e);
                Console.Error.WriteLine("See `outgate connections --help`.");
                return ExitUsage;
            }

            var reader = new ConnectionReader(hash: parse.GetValue(Hash));
            try
            {
                if (watch is { } interval)
                    return await new ConnectionWatch(reader, query!, new ConnectionTableWriter(parse.GetValue(Wide), parse.GetValue(Hash)), Console.Out)
                        .RunAsync(interval, count, ct);
                var snapshot = reader.Read(query!);
                snapshot = await DomainLabels.AddAsync(snapshot, parse.GetValue(Socket)!, ct);
                WriteSnapshot(parse, snapshot);
                return ExitOk;
            }
            catch (ConnectionsUnavailableException ex)
            {
                Console.Error.WriteLine("outgate connections: " + ex.Message);
                return ExitKernel;
            }
        });
        return cmd;
    }

    private static void WriteSnapshot(ParseResult parse, ConnectionSnapshot snapshot)
    {
        if (parse.GetValue(Json))
        {
            var doc = new ConnectionsDocument(ConnectionJson.SchemaName, DateTimeOffset.UtcNow, snapshot.Complete, snapshot.Warnings,
                [.. snapshot.Rows.Select(ConnectionJson.From)]);
            // Straight to stdout as UTF-8: no intermediate string for 10,000 rows.
            Console.Out.Flush();
            using var stdout = Console.OpenStandardOutput();
            JsonSerializer.Serialize(stdout, doc, ConnectionJsonContext.Default.ConnectionsDocument);
            stdout.WriteByte((byte)'\n');
        }
        else if (parse.GetValue(Csv))
        {
            WriteStdout(ConnectionCsvWriter.Render(snapshot.Rows));
        }
        else
        {
            WriteStdout(new ConnectionTableWriter(parse.GetValue(Wide), parse.GetValue(Hash)).Render(snapshot.Rows));
        }
        foreach (var w in snapshot.Warnings) Console.Error.WriteLine("note: " + w);
    }

    /// <summary>Console.Out encodes through small autoflushed chunks; one UTF-8 write is several times faster for big tables.</summary>
    private static void WriteStdout(string text)
    {
        Console.Out.Flush();
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(System.Text.Encoding.UTF8.GetBytes(text));
    }

    private static TimeSpan? ParseWatch(ParseResult parse, List<string> errors)
    {
        if (parse.GetResult(Watch) is null) return null;
        var text = parse.GetValue(Watch);
        if (string.IsNullOrEmpty(text)) return TimeSpan.FromSeconds(1);
        var t = text.EndsWith('s') ? text[..^1] : text;
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0.1 && s <= 3600)
            return TimeSpan.FromSeconds(s);
        errors.Add($"bad --watch interval '{Printable.Escape(text)}': give seconds between 0.1 and 3600, e.g. --watch 2");
        return null;
    }

    internal static ConnectionQuery? BuildQuery(ParseResult parse, List<string> errors)
    {
        var families = new List<AddressFamily>();
        if (parse.GetValue(V4)) families.Add(AddressFamily.InterNetwork);
        if (parse.GetValue(V6)) families.Add(AddressFamily.InterNetworkV6);
        if (families.Count == 0) families.AddRange([AddressFamily.InterNetwork, AddressFamily.InterNetworkV6]);

        var protocols = new List<SocketProtocol>();
        if (parse.GetValue(Tcp)) protocols.Add(SocketProtocol.Tcp);
        if (parse.GetValue(Udp)) protocols.AddRange([SocketProtocol.Udp, SocketProtocol.UdpLite]);
        if (parse.GetValue(Raw)) protocols.Add(SocketProtocol.Raw);
        var explicitProtocols = protocols.Count > 0;
        if (!explicitProtocols) protocols.AddRange([SocketProtocol.Tcp, SocketProtocol.Udp, SocketProtocol.UdpLite, SocketProtocol.Raw]);

        HashSet<int>? pids = null;
        foreach (var item in Split(parse.GetValue(Pid)))
        {
            if (int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0) (pids ??= []).Add(pid);
            else errors.Add($"bad --pid '{Printable.Escape(item)}': give a process id (a positive number), e.g. --pid 1234");
        }

        PortFilter? ports = null;
        if (parse.GetValue(Port) is { } portText && !PortFilter.TryParse(portText, out ports, out var portError))
            errors.Add(portError!);

        List<IPNetwork>? remote = null;
        foreach (var item in Split(parse.GetValue(Remote)))
        {
            if (TryParseNetwork(item, out var net)) (remote ??= []).Add(net);
            else errors.Add($"bad --remote '{Printable.Escape(item)}': give an address or CIDR, e.g. --remote 10.0.0.5, --remote 10.0.0.0/8 or --remote 2001:db8::/32");
        }

        HashSet<SocketState>? states = null;
        var unconnected = false;
        foreach (var item in Split(parse.GetValue(State)))
        {
            if (!SocketNames.TryParseState(item, out var st, out var unconn))
                errors.Add($"bad --state '{Printable.Escape(item)}': accepted states are {SocketNames.AcceptedStates}");
            else if (unconn) unconnected = true;
            else (states ??= []).Add(st);
        }

        var app = parse.GetValue(App);
        if (app is { Length: 0 }) errors.Add("empty --app: give a program name (curl) or an executable path (/usr/bin/curl)");
        var user = parse.GetValue(User);
        if (user is { Length: 0 }) errors.Add("empty --user: give a user name (www-data) or uid (33)");

        return new ConnectionQuery
        {
            Listening = parse.GetValue(Listening),
            Established = parse.GetValue(Established),
            Families = families,
            Protocols = protocols,
            Pids = pids,
            App = app,
            User = user,
            Ports = ports,
            Remote = remote,
            States = states,
            StateUnconnected = unconnected,
            ExplicitProtocols = explicitProtocols,
        };
    }

    private static IEnumerable<string> Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Accepts "10.0.0.5" (one host), "10.0.0.0/8" and "10.1.2.3/8" (host bits masked off), IPv6
    /// alike: the policy's own address syntax, so a network means the same here as in a rule.
    /// "any" is refused: a filter that matches everything is a typo, not a filter.
    /// </summary>
    internal static bool TryParseNetwork(string text, out IPNetwork network)
    {
        network = default;
        if (!Outgate.Policy.AddressSyntax.TryParse(text, out var parsed, out _) || parsed is not { } net) return false;
        network = net;
        return true;
    }
}
