using System.Text.RegularExpressions;

namespace Outgate.Policy.Import;

/// <summary>
/// Translates the text of <c>ufw status</c>, <c>ufw status verbose</c> or <c>ufw status numbered</c>:
/// <code>
/// Status: active
/// Logging: on (low)
/// Default: deny (incoming), allow (outgoing), disabled (routed)
///
/// To                         Action      From
/// --                         ------      ----
/// 22/tcp                     ALLOW IN    Anywhere                   # ssh
/// 10.0.0.0/8 443/tcp         ALLOW OUT   Anywhere on eth0
/// [ 3] 53                    ALLOW OUT   Anywhere                   (out)
/// </code>
/// Status output is lossier than user.rules (application profiles are shown by name, long columns shift), so prefer
/// <c>--from</c> when the files are at hand.
/// </summary>
public static partial class UfwStatusImporter
{
    [GeneratedRegex(@"^(?:\[\s*\d+\]\s*)?(?<to>.+?)\s+(?<action>ALLOW|DENY|REJECT|LIMIT)(?:\s+(?<dir>IN|OUT|FWD))?(?:\s+\((?<log>log|log-all)\))?\s+(?<from>.+?)(?:\s+\((?<tail>out|fwd)\))?(?:\s+#\s?(?<comment>.*))?$")]
    private static partial Regex RuleLine();

    [GeneratedRegex(@"(?<policy>allow|deny|reject|disabled)\s+\((?<direction>incoming|outgoing|routed)\)")]
    private static partial Regex DefaultEntry();

    [GeneratedRegex(@"^[0-9][0-9,:]*(?:/[a-z0-9]+)?$")]
    private static partial Regex PortToken();

    /// <summary>Translates <paramref name="file"/>; throws <see cref="ImportInputException"/> (only) when it is not ufw status output.</summary>
    public static ImportedPolicy Import(ImportSourceFile file, IReadOnlyList<ImportSourceFile>? applicationProfiles = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var profiles = new UfwAppProfiles(applicationProfiles ?? []);
        var notes = new List<ImportNote>();
        var defaults = new Dictionary<Direction, DefaultPolicy>();
        var v4 = new List<ImportedRule>();
        var v6 = new List<ImportedRule>();
        LogLevel? logging = null;
        var sawStatus = false;
        var lines = file.Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            var number = i + 1;
            if (line.Length == 0 || line.StartsWith("--", StringComparison.Ordinal) || line.StartsWith("To ", StringComparison.Ordinal)
                || line.StartsWith("New profiles:", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("Status:", StringComparison.Ordinal))
            {
                sawStatus = true;
                if (line.EndsWith("active", StringComparison.Ordinal) && !line.EndsWith("inactive", StringComparison.Ordinal))
                {
                    notes.Add(new ImportNote(file.Path, number, line,
                        "ufw was active; import does not enable Outgate: run `outgate enable` once the policy looks right (and `ufw disable`)", ImportNoteKind.Adjusted));
                }

                continue;
            }

            if (line.StartsWith("Logging:", StringComparison.Ordinal))
            {
                logging = ParseLogging(file.Path, number, line["Logging:".Length..].Trim());
                continue;
            }

            if (line.StartsWith("Default:", StringComparison.Ordinal))
            {
                foreach (Match entry in DefaultEntry().Matches(line))
                {
                    var direction = entry.Groups["direction"].Value switch { "incoming" => Direction.In, "outgoing" => Direction.Out, _ => Direction.Forward };
                    var policy = entry.Groups["policy"].Value switch
                    {
                        "allow" => DefaultPolicy.Allow,
                        "deny" => DefaultPolicy.Deny,
                        "reject" => DefaultPolicy.Reject,
                        _ => DefaultPolicy.Disabled,
                    };
                    defaults[direction] = policy;
                }

                if (defaults.Count == 0)
                {
                    throw new ImportInputException(file.Path, number, $"cannot read the defaults in '{Quote.Escape(line)}'",
                        "ufw prints 'Default: deny (incoming), allow (outgoing), disabled (routed)'");
                }

                continue;
            }

            var match = RuleLine().Match(line);
            if (!match.Success)
            {
                if (!sawStatus)
                {
                    throw new ImportInputException(file.Path, number, $"'{Quote.Escape(line)}' is not ufw status output",
                        "give the output of `ufw status verbose` or `ufw status numbered`, which starts with 'Status: active'");
                }

                notes.Add(new ImportNote(file.Path, number, Quote.Escape(line), "not a rule line ufw prints; add its equivalent by hand if it matters"));
                continue;
            }

            if (!sawStatus)
            {
                throw new ImportInputException(file.Path, number, "rules before the 'Status:' line",
                    "give the whole output of `ufw status verbose` or `ufw status numbered`, starting with 'Status: active'");
            }

            foreach (var (parts, isV6, error) in Translate(match, profiles))
            {
                if (error is not null)
                {
                    notes.Add(new ImportNote(file.Path, number, Quote.Escape(line), error));
                    continue;
                }

                var (rule, problem) = parts!.Translate();
                if (rule is null)
                {
                    notes.Add(new ImportNote(file.Path, number, Quote.Escape(line), problem!));
                }
                else
                {
                    (isV6 ? v6 : v4).Add(new ImportedRule(rule, file.Path, number));
                }
            }
        }

        if (!sawStatus)
        {
            throw new ImportInputException(file.Path, 0, "no 'Status:' line, so this is not ufw status output",
                "give the output of `ufw status verbose` or `ufw status numbered`");
        }

        return new ImportedPolicy { Rules = FamilyMerge.Merge(v4, v6), Defaults = defaults, Logging = logging, Notes = notes };
    }

    private static LogLevel ParseLogging(string path, int line, string text) => text switch
    {
        "off" => LogLevel.Off,
        "on" or "on (low)" => LogLevel.Low,
        "on (medium)" => LogLevel.Medium,
        "on (high)" => LogLevel.High,
        "on (full)" => LogLevel.Full,
        _ => throw new ImportInputException(path, line, $"unknown logging '{Quote.Escape(text)}'", "ufw prints 'Logging: off' or 'Logging: on (low|medium|high|full)'"),
    };

    private static IEnumerable<(UfwRuleParts? Parts, bool IsV6, string? Error)> Translate(Match match, UfwAppProfiles profiles)
    {
        var to = Location.Parse(match.Groups["to"].Value);
        var from = Location.Parse(match.Groups["from"].Value);
        var dirWord = match.Groups["dir"].Success ? match.Groups["dir"].Value : match.Groups["tail"].Success ? match.Groups["tail"].Value.ToUpperInvariant() : "IN";
        var route = dirWord == "FWD";
        var direction = dirWord == "OUT" ? "out" : "in";
        var isV6 = to.V6 || from.V6 || (to.Address?.Contains(':', StringComparison.Ordinal) ?? false) || (from.Address?.Contains(':', StringComparison.Ordinal) ?? false);
        var protos = new[] { to.Proto, from.Proto }.Where(p => p is not null).Distinct().ToArray();
        if (protos.Length > 1)
        {
            yield return (null, isV6, $"the two sides name different protocols ({string.Join(", ", protos)})");
            yield break;
        }

        if (from.App is { } sourceApp)
        {
            yield return (null, isV6, $"source application profiles ('{Quote.Escape(sourceApp)}') cannot be translated from status output; use --from with ufw's files");
            yield break;
        }

        var comment = UfwRuleParts.CleanComment(match.Groups["comment"].Success ? match.Groups["comment"].Value : null, out _);
        var parts = new UfwRuleParts
        {
            Route = route,
            Action = match.Groups["action"].Value.ToLowerInvariant(),
            Log = match.Groups["log"].Success ? match.Groups["log"].Value : null,
            Direction = direction,
            Interface = route ? to.Interface ?? from.Interface : direction == "out" ? from.Interface ?? to.Interface : to.Interface ?? from.Interface,
            OutInterface = route && to.Interface is not null && from.Interface is not null ? from.Interface : null,
            Proto = protos.FirstOrDefault(),
            From = from.Address,
            FromPort = from.Ports,
            To = to.Address,
            ToPort = to.Ports,
            Comment = comment,
        };

        if (to.App is not { } app)
        {
            yield return (parts, isV6, null);
            yield break;
        }

        if (to.Ports is not null)
        {
            // Verbose output shows '80,443/tcp (Apache Full)': the ports are there, the name becomes the comment.
            yield return (parts with { Comment = comment ?? UfwRuleParts.CleanComment($"app {app}", out _) }, isV6, null);
            yield break;
        }

        if (profiles.Find(app) is not { } groups)
        {
            yield return (null, isV6, $"application profile '{Quote.Escape(app)}' has no ports file here; use --from with ufw's directory (applications.d) or add the rule by port");
            yield break;
        }

        foreach (var group in groups)
        {
            yield return (parts with { ToPort = group.Ports, Proto = group.Proto ?? parts.Proto, Comment = comment ?? UfwRuleParts.CleanComment($"app {app}", out _) }, isV6, null);
        }
    }

    /// <summary>One column of a status rule line: <c>Anywhere</c>, <c>22/tcp</c>, <c>10.0.0.0/8 443/tcp</c>, <c>Anywhere on eth0</c>, <c>OpenSSH (v6)</c>, <c>80,443/tcp (Apache Full)</c>.</summary>
    private sealed record Location(string? Address, string? Ports, string? Proto, string? App, string? Interface, bool V6)
    {
        public static Location Parse(string text)
        {
            var rest = text.Trim();
            // ufw appends ' (v6)' to the column, inside an app name's parentheses in verbose output ('80,443/tcp (Apache Full (v6))').
            var v6 = rest.Contains(" (v6)", StringComparison.Ordinal);
            rest = rest.Replace(" (v6)", "", StringComparison.Ordinal);

            string? iface = null;
            var on = rest.LastIndexOf(" on ", StringComparison.Ordinal);
            if (on >= 0 && !rest[(on + 4)..].Contains(' ', StringComparison.Ordinal))
            {
                iface = rest[(on + 4)..];
                rest = rest[..on].TrimEnd();
            }

            string? app = null;
            if (rest.EndsWith(')') && rest.LastIndexOf(" (", StringComparison.Ordinal) is var open and > 0)
            {
                app = rest[(open + 2)..^1];
                rest = rest[..open].TrimEnd();
            }

            var tokens = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string? address = null, ports = null, proto = null;
            var at = 0;
            if (at < tokens.Length && (tokens[at] == "Anywhere" || IsAddress(tokens[at])))
            {
                address = tokens[at] == "Anywhere" ? null : tokens[at];
                at++;
            }

            if (at < tokens.Length && PortToken().IsMatch(tokens[at]))
            {
                var slash = tokens[at].IndexOf('/');
                (ports, proto) = slash < 0 ? (tokens[at], null) : (tokens[at][..slash], tokens[at][(slash + 1)..]);
                at++;
            }

            if (at < tokens.Length)
            {
                app = string.Join(' ', tokens[at..]);
            }

            return new Location(address, ports, proto, app, iface, v6);
        }

        private static bool IsAddress(string token) => token.Contains('.', StringComparison.Ordinal) || token.Contains(':', StringComparison.Ordinal)
            ? AddressSyntax.TryParse(token, out _, out _)
            : false;
    }
}
