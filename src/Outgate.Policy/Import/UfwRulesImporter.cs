namespace Outgate.Policy.Import;

/// <summary>
/// Translates ufw's own files. Only the <c>### tuple ###</c> lines of <c>user.rules</c>/<c>user6.rules</c> carry rules; the
/// iptables lines after them are generated from the tuple and ignored. A tuple is
/// <c>ACTION PROTO DPORT DST SPORT SRC [DAPP SAPP] [DIRECTION] [comment=HEX]</c>, where ACTION may carry <c>_log</c> or
/// <c>_log-all</c> and a <c>route:</c> prefix, DIRECTION is <c>in</c>, <c>out</c>, <c>in_eth0</c>, <c>out_eth0</c> or for routed rules
/// <c>in_eth0!out_eth1</c>, apps have spaces written as <c>%20</c> (<c>-</c> for none), and the comment is hex-encoded UTF-8:
/// <code>### tuple ### allow tcp 22 0.0.0.0/0 any 192.168.1.0/24 in_eth0 comment=737368</code>
/// </summary>
public static class UfwRulesImporter
{
    private const string TupleMarker = "### tuple ###";

    /// <summary>Translates <paramref name="input"/>; throws <see cref="ImportInputException"/> (only) when a file is malformed.</summary>
    public static ImportedPolicy Import(UfwImportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.UserRules is null && input.User6Rules is null)
        {
            throw new ImportInputException("user.rules", 0, "neither user.rules nor user6.rules was found",
                "point --from at ufw's configuration directory (normally /etc/ufw), or use --status-file with `ufw status verbose` output");
        }

        var notes = new List<ImportNote>();
        var profiles = new UfwAppProfiles(input.ApplicationProfiles);
        var v4 = input.UserRules is { } user ? ReadRules(user, profiles, notes) : [];
        var v6 = input.User6Rules is { } user6 ? ReadRules(user6, profiles, notes) : [];
        var defaults = new Dictionary<Direction, DefaultPolicy>();
        LogLevel? logging = null;
        if (input.UfwConf is { } conf)
        {
            logging = ReadConf(conf, notes);
        }

        if (input.DefaultsFile is { } defaultsFile)
        {
            ReadDefaults(defaultsFile, defaults, v4.Concat(v6).Any(r => r.Rule.Direction == Direction.Forward), notes);
        }

        return new ImportedPolicy { Rules = FamilyMerge.Merge(v4, v6), Defaults = defaults, Logging = logging, Notes = notes };
    }

    private static List<ImportedRule> ReadRules(ImportSourceFile file, UfwAppProfiles profiles, List<ImportNote> notes)
    {
        var rules = new List<ImportedRule>();
        var lines = file.Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            var number = i + 1;
            if (line.StartsWith(TupleMarker, StringComparison.Ordinal))
            {
                foreach (var parts in ParseTuple(file.Path, number, line[TupleMarker.Length..], profiles, notes))
                {
                    var (rule, error) = parts.Translate();
                    if (rule is null)
                    {
                        notes.Add(new ImportNote(file.Path, number, Quote.Escape(line), error!));
                    }
                    else
                    {
                        rules.Add(new ImportedRule(rule, file.Path, number));
                    }
                }
            }
            else if (!IsGeneratedLine(line))
            {
                notes.Add(new ImportNote(file.Path, number, Quote.Escape(line),
                    "not a line ufw writes (only '### tuple ###' lines carry rules); add its equivalent by hand if it matters"));
            }
        }

        return rules;
    }

    /// <summary>Lines ufw generates around the tuples: iptables-restore syntax, section markers and comments.</summary>
    private static bool IsGeneratedLine(string line)
        => line.Length == 0 || line[0] is '#' or ':' or '*' || line.StartsWith("-A ", StringComparison.Ordinal) || line.StartsWith("-I ", StringComparison.Ordinal) || line == "COMMIT";

    private static IEnumerable<UfwRuleParts> ParseTuple(string path, int line, string body, UfwAppProfiles profiles, List<ImportNote> notes)
    {
        var fields = body.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
        string? comment = null;
        if (fields.Count > 0 && fields[^1].StartsWith("comment=", StringComparison.Ordinal))
        {
            comment = DecodeComment(path, line, fields[^1]["comment=".Length..]);
            fields.RemoveAt(fields.Count - 1);
        }

        if (fields.Count is < 6 or > 9)
        {
            throw new ImportInputException(path, line, $"malformed ufw tuple '{Quote.Escape(body.Trim())}': {fields.Count} fields",
                "a tuple has ACTION PROTO DPORT DST SPORT SRC [DAPP SAPP] [DIRECTION] [comment=HEX]; restore the file from ufw (`ufw reload` rewrites it) or delete the line");
        }

        var direction = fields.Count is 7 or 9 ? fields[^1] : "in";
        var (dapp, sapp) = fields.Count >= 8 ? (App(fields[6]), App(fields[7])) : (null, null);
        var action = fields[0];
        var route = action.StartsWith("route:", StringComparison.Ordinal);
        if (route)
        {
            action = action["route:".Length..];
        }

        string? log = null;
        var underscore = action.IndexOf('_');
        if (underscore > 0)
        {
            log = action[(underscore + 1)..];
            action = action[..underscore];
        }

        var (dir, inIface, outIface) = ParseDirection(path, line, direction);
        var clean = UfwRuleParts.CleanComment(comment, out var commentChanged);
        if (commentChanged)
        {
            notes.Add(new ImportNote(path, line, Quote.Escape(comment!), "comment shortened or stripped of quotes/control characters", ImportNoteKind.Adjusted));
        }

        if (sapp is not null)
        {
            notes.Add(new ImportNote(path, line, $"app '{Quote.Escape(sapp)}'", "source application profiles are not kept; the rule uses the source ports ufw stored", ImportNoteKind.Adjusted));
        }

        var parts = new UfwRuleParts
        {
            Route = route,
            Action = action,
            Log = log,
            Direction = dir,
            Interface = dir == "out" && !route ? outIface : inIface,
            OutInterface = route ? outIface : null,
            Proto = Any(fields[1]),
            ToPort = Any(fields[2]),
            To = Address(fields[3]),
            FromPort = Any(fields[4]),
            From = Address(fields[5]),
            Comment = clean ?? (dapp is null ? null : UfwRuleParts.CleanComment($"app {dapp}", out _)),
        };

        if (dapp is null || parts.ToPort is not null)
        {
            return [parts];
        }

        // An app rule whose tuple lost its ports: take them from the profile, one rule per port group.
        if (profiles.Find(dapp) is not { } groups)
        {
            notes.Add(new ImportNote(path, line, $"app '{Quote.Escape(dapp)}'",
                "the tuple has no ports and no application profile in applications.d names this app; add the rule by port ('allow 22/tcp')"));
            return [];
        }

        return groups.Select(g => parts with { ToPort = g.Ports, Proto = g.Proto ?? parts.Proto }).ToArray();
    }

    private static (string Direction, string? In, string? Out) ParseDirection(string path, int line, string text)
    {
        string? inIface = null, outIface = null, dir = null;
        foreach (var part in text.Split('!'))
        {
            var underscore = part.IndexOf('_');
            var (word, iface) = underscore < 0 ? (part, null) : (part[..underscore], part[(underscore + 1)..]);
            switch (word)
            {
                case "in":
                    inIface ??= iface;
                    dir ??= "in";
                    break;
                case "out":
                    outIface ??= iface;
                    dir ??= "out";
                    break;
                default:
                    throw new ImportInputException(path, line, $"unknown direction '{Quote.Escape(text)}' in a ufw tuple",
                        "the last field is in, out, in_IFACE, out_IFACE or in_IFACE!out_IFACE");
            }
        }

        return (dir ?? "in", inIface, outIface);
    }

    private static string? Any(string field) => field == "any" ? null : field;

    private static string? Address(string field) => field is "0.0.0.0/0" or "::/0" or "any" ? null : field;

    private static string? App(string field) => field == "-" ? null : field.Replace("%20", " ", StringComparison.Ordinal);

    private static string DecodeComment(string path, int line, string hex)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            throw new ImportInputException(path, line, $"comment '{Quote.Escape(hex)}' is not hex-encoded text",
                "ufw writes comments as comment=HEX (e.g. comment=737368 for 'ssh'); fix or remove the comment= field");
        }
    }

    private static LogLevel? ReadConf(ImportSourceFile file, List<ImportNote> notes)
    {
        LogLevel? level = null;
        foreach (var (line, key, value) in ShellAssignments(file))
        {
            switch (key)
            {
                case "LOGLEVEL":
                    level = value.ToLowerInvariant() switch
                    {
                        "off" => LogLevel.Off,
                        "on" or "low" => LogLevel.Low,
                        "medium" => LogLevel.Medium,
                        "high" => LogLevel.High,
                        "full" => LogLevel.Full,
                        _ => throw new ImportInputException(file.Path, line, $"unknown LOGLEVEL '{Quote.Escape(value)}'",
                            "ufw's levels are off, low, medium, high and full"),
                    };
                    break;
                case "ENABLED" when value.Equals("yes", StringComparison.OrdinalIgnoreCase):
                    notes.Add(new ImportNote(file.Path, line, "ENABLED=yes",
                        "ufw was enabled; import does not enable Outgate: run `outgate enable` once the policy looks right (and `ufw disable`)", ImportNoteKind.Adjusted));
                    break;
            }
        }

        return level;
    }

    private static void ReadDefaults(ImportSourceFile file, Dictionary<Direction, DefaultPolicy> defaults, bool hasRoutedRules, List<ImportNote> notes)
    {
        foreach (var (line, key, value) in ShellAssignments(file))
        {
            Direction? direction = key switch
            {
                "DEFAULT_INPUT_POLICY" => Direction.In,
                "DEFAULT_OUTPUT_POLICY" => Direction.Out,
                "DEFAULT_FORWARD_POLICY" => Direction.Forward,
                _ => null,
            };
            if (key == "IPV6" && value.Equals("no", StringComparison.OrdinalIgnoreCase))
            {
                notes.Add(new ImportNote(file.Path, line, "IPV6=no",
                    "ufw left IPv6 unfiltered; Outgate rules without addresses apply to IPv4 and IPv6 alike", ImportNoteKind.Adjusted));
            }

            if (direction is not { } d)
            {
                continue;
            }

            var policy = value.ToUpperInvariant() switch
            {
                "DROP" => DefaultPolicy.Deny,
                "ACCEPT" => DefaultPolicy.Allow,
                "REJECT" => DefaultPolicy.Reject,
                _ => throw new ImportInputException(file.Path, line, $"unknown policy '{Quote.Escape(value)}' for {key}",
                    "ufw writes DROP, ACCEPT or REJECT"),
            };
            if (d == Direction.Forward && policy == DefaultPolicy.Deny && !hasRoutedRules)
            {
                // ufw's forward DROP only matters when IP forwarding is on (ufw then shows 'deny (routed)', else 'disabled').
                notes.Add(new ImportNote(file.Path, line, $"{key}=\"{value}\"",
                    "kept Outgate's 'disabled' routed default (no forward filtering, as ufw without IP forwarding); run `outgate default deny routed` to filter forwarded traffic",
                    ImportNoteKind.Adjusted));
                continue;
            }

            defaults[d] = policy;
        }
    }

    /// <summary><c>KEY=value</c> / <c>KEY="value"</c> lines of a shell-style file; comments and other lines are ignored.</summary>
    private static IEnumerable<(int Line, string Key, string Value)> ShellAssignments(ImportSourceFile file)
    {
        var lines = file.Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var eq = line.IndexOf('=');
            if (line.StartsWith('#') || eq <= 0)
            {
                continue;
            }

            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            var hash = value.StartsWith('"') ? -1 : value.IndexOf(" #", StringComparison.Ordinal);
            if (hash >= 0)
            {
                value = value[..hash].TrimEnd();
            }

            yield return (i + 1, key, value.Trim('"', '\''));
        }
    }
}
