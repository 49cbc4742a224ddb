namespace Outgate.Policy.Import;

/// <summary>
/// Translates OpenSnitch rules (<c>/etc/opensnitchd/rules/*.json</c>) into outgoing Outgate rules.
/// <para>
/// Order: OpenSnitch checks rules by name; the first matching deny/reject or <c>precedence</c> rule decides, otherwise the
/// LAST matching allow rule does. Outgate's first match wins, so the result lists the deny, reject and precedence rules in
/// name order, then the other allow rules in reverse name order: the same decisions.
/// </para>
/// <para>
/// Operands: <c>process.path</c> → app, <c>process.command</c> → cmdline, <c>process.parent.path</c> → parent, <c>user.id</c>/<c>user.name</c> →
/// user, <c>dest.host</c> → to domain, <c>dest.ip</c>/<c>dest.network</c> → to address, <c>dest.port</c> → port, <c>protocol</c> → proto,
/// <c>iface.out</c> → on, <c>source.ip</c>/<c>source.network</c>/<c>source.port</c> → from, <c>lists.domains</c>/<c>lists.ips</c>/<c>lists.nets</c> → one
/// <c>to list</c> rule per file of the directory. Regexps are converted only when they mean a fixed set of values
/// (see <see cref="RegexLiterals"/>). Everything else is reported.
/// </para>
/// </summary>
public static class OpenSnitchImporter
{
    /// <summary>Most rules one OpenSnitch rule may expand into (alternatives multiply: 3 hosts × 4 list files = 12).</summary>
    public const int MaxRulesPerRule = 256;

    /// <summary>Translates <paramref name="input"/>; throws <see cref="ImportInputException"/> (only) when a file is malformed.</summary>
    public static ImportedPolicy Import(OpenSnitchImportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var parsed = input.RuleFiles.Select(OpenSnitchRule.Parse).OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.File, StringComparer.Ordinal).ToList();
        var notes = new List<ImportNote>();
        var first = new List<ImportedRule>();
        var lastWins = new List<ImportedRule[]>();
        foreach (var rule in parsed)
        {
            var item = $"rule '{Quote.Escape(rule.Name)}'";
            if (!rule.Enabled)
            {
                notes.Add(new ImportNote(rule.File, 0, item, "disabled in OpenSnitch; enable it there and import again, or add it by hand"));
                continue;
            }

            var translated = Translate(rule, input, notes, item);
            if (translated is null)
            {
                continue;
            }

            var imported = translated.Select(r => new ImportedRule(r, rule.File, 0)).ToArray();
            if (rule.Action == "allow" && !rule.Precedence)
            {
                lastWins.Add(imported);
            }
            else
            {
                first.AddRange(imported);
            }
        }

        // Reverse whole OpenSnitch rules, not the Outgate rules one expanded into (those never overlap), so each reads in order.
        lastWins.Reverse();
        return new ImportedPolicy { Rules = [.. first, .. lastWins.SelectMany(r => r)], Notes = notes };
    }

    private static List<Rule>? Translate(OpenSnitchRule source, OpenSnitchImportInput input, List<ImportNote> notes, string item)
    {
        RuleAction? action = source.Action.ToLowerInvariant() switch
        {
            "allow" => RuleAction.Allow,
            "deny" => RuleAction.Deny,
            "reject" => RuleAction.Reject,
            _ => null,
        };
        if (action is null)
        {
            notes.Add(new ImportNote(source.File, 0, item, $"unknown action '{Quote.Escape(source.Action)}' (OpenSnitch has allow, deny and reject)"));
            return null;
        }

        var baseRule = new Rule
        {
            Action = action.Value,
            Direction = Direction.Out,
            Comment = UfwRuleParts.CleanComment($"opensnitch {source.Name}", out _),
        };
        switch (source.Duration.Trim().ToLowerInvariant())
        {
            case "always" or "":
                break;
            case "once":
                notes.Add(new ImportNote(source.File, 0, item, "duration 'once' applied to one connection only; nothing to import"));
                return null;
            case "until restart" or "until reboot":
                if (input.BootId is null)
                {
                    notes.Add(new ImportNote(source.File, 0, item, "duration 'until restart' needs this boot's id, which could not be read"));
                    return null;
                }

                baseRule = baseRule with { BootId = input.BootId };
                notes.Add(new ImportNote(source.File, 0, item, "'until restart' (of opensnitchd) became until-reboot", ImportNoteKind.Adjusted));
                break;
            default:
                if (!RuleLifetime.TryParse(source.Duration, out var lifetime, out _) || lifetime.Kind != RuleLifetimeKind.For)
                {
                    notes.Add(new ImportNote(source.File, 0, item, $"unknown duration '{Quote.Escape(source.Duration)}' (always, once, until restart, 30s, 5m, 1h ...)"));
                    return null;
                }

                baseRule = baseRule with { Expires = input.Now.AddSeconds(Math.Round(lifetime.Duration.TotalSeconds)) };
                notes.Add(new ImportNote(source.File, 0, item, $"duration '{lifetime}' now counts from the import", ImportNoteKind.Adjusted));
                break;
        }

        var leaves = source.Operator.Type == "list" ? source.Operator.List : [source.Operator];
        var alternatives = new List<Rule> { baseRule };
        foreach (var leaf in leaves)
        {
            var (edits, why) = Edits(leaf, input, notes, source.File, item);
            if (edits is null)
            {
                notes.Add(new ImportNote(source.File, 0, item, why!));
                return null;
            }

            var next = new List<Rule>();
            foreach (var rule in alternatives)
            {
                foreach (var edit in edits)
                {
                    if (edit(rule) is not { } changed)
                    {
                        notes.Add(new ImportNote(source.File, 0, item, $"operand '{Quote.Escape(leaf.Operand)}' appears twice or conflicts with another destination; Outgate rules take one of each"));
                        return null;
                    }

                    next.Add(changed);
                }
            }

            if (next.Count > MaxRulesPerRule)
            {
                notes.Add(new ImportNote(source.File, 0, item, $"expands into more than {MaxRulesPerRule} Outgate rules; split it in OpenSnitch or write it by hand"));
                return null;
            }

            alternatives = next;
        }

        var result = new List<Rule>();
        // OpenSnitch matches ports of any protocol; ufw syntax needs tcp or udp for a port list or range, so such rules split in two.
        if (alternatives.Any(r => r.Protocol == Protocol.Any && (r.ToPort is { IsSinglePort: false } || r.FromPort is { IsSinglePort: false })))
        {
            alternatives = alternatives.SelectMany(r => r.Protocol == Protocol.Any && (r.ToPort is { IsSinglePort: false } || r.FromPort is { IsSinglePort: false })
                ? new[] { r with { Protocol = Protocol.Tcp }, r with { Protocol = Protocol.Udp } }
                : [r]).ToList();
            notes.Add(new ImportNote(source.File, 0, item, "a port list or range without a protocol became one tcp and one udp rule", ImportNoteKind.Adjusted));
        }

        foreach (var rule in alternatives)
        {
            var problems = rule.Validate();
            if (problems.Count > 0)
            {
                notes.Add(new ImportNote(source.File, 0, item, $"translates to an invalid rule: {string.Join("; ", problems)}"));
                return null;
            }

            result.Add(rule);
        }

        return result;
    }

    private static (IReadOnlyList<Func<Rule, Rule?>>? Edits, string? Why) Edits(OpenSnitchOperator op, OpenSnitchImportInput input, List<ImportNote> notes, string file, string item)
    {
        var operand = op.Operand;
        var data = op.Data.Trim();
        if (op.Type == "list")
        {
            return (null, "nested 'list' operators are not supported; flatten the rule in OpenSnitch");
        }

        if (operand == "true")
        {
            return ([r => r], null);
        }

        if (op.Type == "lists")
        {
            if (operand is not ("lists.domains" or "lists.ips" or "lists.nets"))
            {
                return (null, $"operand '{Quote.Escape(operand)}' (lists of regular expressions) has no Outgate equivalent");
            }

            var files = input.ListFiles(data);
            if (files is null || files.Count == 0)
            {
                return (null, $"list directory '{Quote.Escape(data)}' is missing or holds no list files; create it or import the lists by hand ('to list FILE')");
            }

            return (files.Select(f => (Func<Rule, Rule?>)(r => HasDestination(r) ? null : r with { ToList = f })).ToArray(), null);
        }

        IReadOnlyList<string>? values;
        if (op.Type is "simple" or "network")
        {
            values = [data];
        }
        else if (op.Type == "range" && operand is "dest.port" or "source.port")
        {
            var dash = data.IndexOf('-');
            values = dash > 0 ? [data[..dash].Trim() + ":" + data[(dash + 1)..].Trim()] : [data];
        }
        else if (op.Type == "regexp")
        {
            bool anchored, bareDots;
            values = operand == "dest.host"
                ? RegexLiterals.TryReadHosts(data, out bareDots, out anchored)
                : RegexLiterals.TryRead(data, allowBareDots: false, out anchored, out bareDots);
            if (values is null)
            {
                return (null, $"regexp '{Quote.Escape(data)}' on {Quote.Escape(operand)} is not a fixed set of values Outgate can match; rewrite it as exact values or '*.domain'");
            }

            if (!anchored)
            {
                notes.Add(new ImportNote(file, 0, item, $"unanchored regexp '{Quote.Escape(data)}' also matched longer values in OpenSnitch; Outgate matches exactly", ImportNoteKind.Adjusted));
            }

            if (bareDots)
            {
                notes.Add(new ImportNote(file, 0, item, $"'.' in '{Quote.Escape(data)}' matched any character in OpenSnitch; read as a literal dot", ImportNoteKind.Adjusted));
            }
        }
        else
        {
            return (null, $"operator type '{Quote.Escape(op.Type)}' is unknown (simple, regexp, network, range, list, lists)");
        }

        if (operand == "dest.port" || operand == "source.port")
        {
            // A set of ports is one ufw port list, not one rule per port.
            var joined = string.Join(',', values);
            if (!PortSpec.TryParse(joined, out var ports, out var error))
            {
                return (null, $"port '{Quote.Escape(data)}': {error}");
            }

            return ([operand == "dest.port" ? r => r.ToPort is null ? r with { ToPort = ports } : null : r => r.FromPort is null ? r with { FromPort = ports } : null], null);
        }

        var edits = new List<Func<Rule, Rule?>>();
        foreach (var value in values)
        {
            var (edit, why) = Edit(operand, value, op.Sensitive);
            if (edit is null)
            {
                return (null, why);
            }

            edits.Add(edit);
        }

        return (edits, null);
    }

    private static (Func<Rule, Rule?>? Edit, string? Why) Edit(string operand, string value, bool sensitive)
    {
        switch (operand)
        {
            case "process.path":
                return value.StartsWith('/') ? (Subject(s => s.App is null ? s with { App = value } : null), null) : (null, $"process.path '{Quote.Escape(value)}' is not an absolute path");
            case "process.parent.path":
                return value.StartsWith('/') ? (Subject(s => s.Parent is null ? s with { Parent = value } : null), null) : (null, $"process.parent.path '{Quote.Escape(value)}' is not an absolute path");
            case "process.command":
                return value.IndexOfAny(['*', '?', '[']) >= 0
                    ? (null, $"command line '{Quote.Escape(value)}' contains *, ? or [, which Outgate's cmdline globs would read as wildcards")
                    : (Subject(s => s.CommandLine is null ? s with { CommandLine = value } : null), null);
            case "user.id" when uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _):
            case "user.name" when value.Length > 0 && !value.Any(char.IsWhiteSpace):
                return (Subject(s => s.User is null ? s with { User = value } : null), null);
            case "user.id":
                return (null, $"user.id '{Quote.Escape(value)}' is not a number");
            case "dest.host":
                return DomainPattern.TryParse(value, out var domain, out var domainError)
                    ? (r => HasDestination(r) ? null : r with { ToDomain = domain }, null)
                    : (null, $"dest.host: {domainError}");
            case "dest.ip" or "dest.network" or "source.ip" or "source.network":
                if (!AddressSyntax.TryParse(value, out var network, out var addressError) || network is null)
                {
                    return (null, $"{operand} '{Quote.Escape(value)}': {addressError ?? "not an address"}");
                }

                return operand.StartsWith("dest.", StringComparison.Ordinal)
                    ? (r => HasDestination(r) ? null : r with { To = network }, null)
                    : (r => r.From is null ? r with { From = network } : null, null);
            case "protocol":
                Protocol? protocol = value.ToLowerInvariant() switch
                {
                    "tcp" or "tcp6" => Protocol.Tcp,
                    "udp" or "udp6" => Protocol.Udp,
                    _ => null,
                };
                if (protocol is null)
                {
                    var parsed = UfwGrammar.ParseRule(["allow", "out", "proto", value.ToLowerInvariant()]);
                    if (!parsed.Succeeded)
                    {
                        return (null, $"protocol '{Quote.Escape(value)}' is not one Outgate rules name (tcp, udp, icmp, ...)");
                    }

                    protocol = parsed.Value!.Protocol;
                }

                return (r => r.Protocol == Protocol.Any ? r with { Protocol = protocol.Value } : null, null);
            case "iface.out":
                return (r => r.Interface is null ? r with { Interface = value } : null, null);
            case "iface.in":
                return (null, "iface.in (the input interface) does not exist for outgoing connections");
            case "process.id":
                return (null, "process ids do not survive a restart, so a rule about one cannot be kept");
            case "process.hash.md5" or "process.hash.sha1":
                return (null, $"{operand}: Outgate pins executables by SHA-256 only; add 'sha256' to the rule by hand");
            default:
                return (null, operand.StartsWith("process.env.", StringComparison.Ordinal)
                    ? "environment variables are not matched by Outgate"
                    : $"unknown operand '{Quote.Escape(operand)}'");
        }
    }

    private static Func<Rule, Rule?> Subject(Func<RuleSubject, RuleSubject?> change)
        => r => change(r.Subject ?? new RuleSubject()) is { } subject ? r with { Subject = subject } : null;

    private static bool HasDestination(Rule rule) => rule.To is not null || rule.ToDomain is not null || rule.ToList is not null;
}
