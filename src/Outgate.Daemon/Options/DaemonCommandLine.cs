using System.Globalization;

namespace Outgate.Daemon.Options;

/// <summary>
/// <c>outgated</c>'s command line. Deliberately small: a handful of <c>--name value</c> (or
/// <c>--name=value</c>) options, environment variables as defaults, every error collected.
/// </summary>
public static class DaemonCommandLine
{
    public const string Usage = """
        Usage: outgated [options]

        The Outgate daemon: decides outgoing connections, records events, serves the API for `outgate`.

        Options:
          --socket PATH          API unix socket (default /run/outgate/outgate.sock, or $OUTGATE_SOCKET)
          --config-dir DIR       policy directory (default /etc/outgate, or $OUTGATE_CONFIG_DIR)
          --state-dir DIR        state directory holding events.db (default /var/lib/outgate, or $OUTGATE_STATE_DIR)
          --netns NAME           serve network namespace NAME (/run/netns/NAME or an absolute path);
                                 the daemon itself stays in its own namespace
          --mode MODE            learn, interactive, enforce or lockdown (default learn)
          --no-kernel            API and events only: no queue rules, no tamper guard (tests)
          --queue-num N          first NFQUEUE number (default 10)
          --queues N             number of queues, one thread each (default: one per CPU, at most 8)
          --dns-queue N          NFQUEUE number for DNS answers (default: the one after the connection queues)
          --no-dns               do not read DNS answers (domain rules then never match)
          --no-kernel-cache      no eBPF connect hook: every new connection goes through the queue
          --prompt-timeout T     how long interactive prompts wait, e.g. 30s (default 30s)
          --prompt-default V     allow or deny: what an unanswered prompt becomes (default deny)
          --web ADDR:PORT|off    dashboard listener (default 127.0.0.1:9474, or $OUTGATE_WEB); loopback only,
                                 port 0 = any free port; off = no dashboard
          --access-group NAME    group allowed to use the API besides root (default outgate)
          --event-queue N        events buffered in front of the writer (default 65536); overflow is counted
          --max-events N         keep at most N events (default 1000000; 0 = unlimited)
          --max-event-age AGE    prune events older than AGE, e.g. 30d (default 30d; 0 = unlimited)
          --prune-interval T     how often retention runs, e.g. 5m (default 5m)
          --fleet-db CONNSTRING  ship events to this PostgreSQL (Npgsql connection string, or $OUTGATE_FLEET_DB);
                                 visible in `ps`: prefer CONFIG_DIR/fleet.conf (root-owned, 0600/0640)
          --host-name NAME       this host's name in the fleet database (default: the host name)
          -h, --help             show this help
          --version              show the version

        Run under systemd (packaging/outgated.service) or as root: `sudo outgated`.
        """;

    /// <summary>Parses <paramref name="args"/>; <paramref name="environment"/> supplies OUTGATE_* defaults.</summary>
    public static DaemonCommandLineResult Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var errors = new List<string>();
        var options = new DaemonOptions();
        var events = options.Events;
        if (environment("OUTGATE_SOCKET") is { Length: > 0 } s) options = options with { SocketPath = s };
        if (environment("OUTGATE_CONFIG_DIR") is { Length: > 0 } c) options = options with { ConfigDirectory = c };
        if (environment("OUTGATE_STATE_DIR") is { Length: > 0 } d) options = options with { StateDirectory = d };
        if (environment("OUTGATE_WEB") is { Length: > 0 } w)
        {
            if (WebAddress.TryParse(w, out var web, out var webError)) options = options with { Web = web };
            else errors.Add($"bad $OUTGATE_WEB: {webError}");
        }
        var fleet = options.Fleet;
        if (environment("OUTGATE_FLEET_DB") is { Length: > 0 } fdb) fleet = fleet with { ConnectionString = fdb };
        bool help = false, version = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string name = arg;
            string? inlineValue = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2) { name = arg[..eq]; inlineValue = arg[(eq + 1)..]; }

            string? Value()
            {
                if (inlineValue is not null) return inlineValue;
                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) return args[++i];
                errors.Add($"{name} needs a value");
                return null;
            }

            switch (name)
            {
                case "-h" or "--help" or "-?": help = true; break;
                case "--version": version = true; break;
                case "--socket": if (Value() is { } sock) options = options with { SocketPath = sock }; break;
                case "--config-dir": if (Value() is { } cfg) options = options with { ConfigDirectory = cfg }; break;
                case "--state-dir": if (Value() is { } st) options = options with { StateDirectory = st }; break;
                case "--netns": if (Value() is { } ns) options = options with { NetworkNamespace = ns }; break;
                case "--access-group": if (Value() is { } grp) options = options with { AccessGroup = grp }; break;
                case "--web":
                    if (Value() is { } wv)
                    {
                        if (WebAddress.TryParse(wv, out var web, out var webError)) options = options with { Web = web };
                        else errors.Add($"bad --web: {webError}");
                    }
                    break;
                case "--no-kernel": options = options with { Kernel = false }; break;
                case "--fleet-db": if (Value() is { } db) fleet = fleet with { ConnectionString = db }; break;
                case "--host-name":
                    if (Value() is { } hn)
                    {
                        if (hn.Length is > 0 and <= 253 && !hn.Any(char.IsControl)) fleet = fleet with { HostName = hn };
                        else errors.Add($"bad --host-name '{Escape(hn)}': give 1 to 253 printable characters");
                    }
                    break;
                case "--queue-num":
                    if (Value() is { } qn)
                    {
                        if (ushort.TryParse(qn, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 65000) options = options with { FirstQueue = n };
                        else errors.Add($"bad --queue-num '{Escape(qn)}': give a queue number from 0 to 65000");
                    }
                    break;
                case "--queues":
                    if (Value() is { } qc)
                    {
                        if (int.TryParse(qc, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64) options = options with { QueueCount = n };
                        else errors.Add($"bad --queues '{Escape(qc)}': give a number from 1 to 64");
                    }
                    break;
                case "--dns-queue":
                    if (Value() is { } dq)
                    {
                        if (ushort.TryParse(dq, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 65000) options = options with { DnsQueue = n };
                        else errors.Add($"bad --dns-queue '{Escape(dq)}': give a queue number from 0 to 65000");
                    }
                    break;
                case "--no-dns": options = options with { Dns = false }; break;
                case "--no-kernel-cache": options = options with { KernelCache = false }; break;
                case "--prompt-timeout":
                    if (Value() is { } pt)
                    {
                        if (DurationSyntax.TryParse(pt, out var t) && t > TimeSpan.Zero && t <= TimeSpan.FromHours(1)) options = options with { PromptTimeout = t };
                        else errors.Add($"bad --prompt-timeout '{Escape(pt)}': give a duration from 1s to 1h, such as 30s");
                    }
                    break;
                case "--prompt-default":
                    if (Value() is { } pd)
                    {
                        switch (pd.Trim().ToLowerInvariant())
                        {
                            case "allow": options = options with { PromptDefault = Decisions.AppVerdict.Allow }; break;
                            case "deny": options = options with { PromptDefault = Decisions.AppVerdict.Deny }; break;
                            default: errors.Add($"bad --prompt-default '{Escape(pd)}': use allow or deny"); break;
                        }
                    }
                    break;
                case "--mode":
                    if (Value() is { } m)
                    {
                        if (DaemonModes.TryParse(m, out var mode)) options = options with { Mode = mode, ModeGiven = true };
                        else errors.Add($"unknown --mode '{Escape(m)}': use one of {DaemonModes.Names}");
                    }
                    break;
                case "--event-queue":
                    if (Value() is { } q)
                    {
                        if (int.TryParse(q, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) events = events with { ChannelCapacity = n };
                        else errors.Add($"bad --event-queue '{Escape(q)}': give a number of events, e.g. 65536");
                    }
                    break;
                case "--max-events":
                    if (Value() is { } mx)
                    {
                        if (long.TryParse(mx, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) events = events with { MaxRows = n };
                        else errors.Add($"bad --max-events '{Escape(mx)}': give a number of events, e.g. 1000000 (0 = unlimited)");
                    }
                    break;
                case "--max-event-age":
                    if (Value() is { } age)
                    {
                        if (DurationSyntax.TryParse(age, out var t)) events = events with { MaxAge = t };
                        else errors.Add($"bad --max-event-age '{Escape(age)}': give a duration such as {DurationSyntax.Examples}");
                    }
                    break;
                case "--prune-interval":
                    if (Value() is { } pi)
                    {
                        if (DurationSyntax.TryParse(pi, out var t)) events = events with { PruneInterval = t };
                        else errors.Add($"bad --prune-interval '{Escape(pi)}': give a duration such as {DurationSyntax.Examples}");
                    }
                    break;
                default:
                    errors.Add(arg.StartsWith('-')
                        ? $"unknown option '{Escape(arg)}' (see outgated --help)"
                        : $"unexpected argument '{Escape(arg)}': outgated takes only options (see outgated --help)");
                    break;
            }
        }
        return new DaemonCommandLineResult(options with { Events = events, Fleet = fleet }, errors, help, version);
    }

    /// <summary>Shows control characters in a value as escapes so an error message cannot be garbled by it.</summary>
    internal static string Escape(string value)
    {
        var sb = new System.Text.StringBuilder(value.Length);
        foreach (var ch in value)
            sb.Append(char.IsControl(ch) ? $"\\u{(int)ch:x4}" : ch.ToString());
        return sb.ToString();
    }
}
