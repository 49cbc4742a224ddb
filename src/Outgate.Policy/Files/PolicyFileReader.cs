using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Outgate.Policy;

/// <summary>Validates one policy file's syntax tree against the schema, adding every problem to the shared error list.</summary>
internal sealed partial class PolicyFileReader(PolicyFile file, bool isMain, List<PolicyError> errors)
{
    public IReadOnlyList<TextSpan> Read(List<Rule> rules, List<RuleOrigin> origins, ref Defaults defaults, ref LogLevel logging, out DocumentSyntax document)
    {
        // Tomlyn's validating pass costs more than parsing on huge files (100k rules: ~7 s vs ~3.5 s); the duplicate checks
        // below cover what it would add for our flat schema, so it runs on normal-sized files only.
        var spans = new List<TextSpan>();
        if (LoneSurrogate.Find(file.Text) is { } bad)
        {
            document = new DocumentSyntax();
            errors.Add(new PolicyError(file.Path, bad.Line, bad.Column, "the text has a broken character (half of a UTF-16 surrogate pair)", "the file must be valid UTF-8 text; retype this character"));
            return spans;
        }

        try
        {
            document = SyntaxParser.Parse(file.Text, file.Path, validate: file.Text.Length <= ValidatingParserLimit);
        }
        catch (ArgumentOutOfRangeException)
        {
            // Tomlyn throws while describing a string that ends the file right after a backslash (it formats the end-of-file marker as a character).
            document = new DocumentSyntax();
            var lines = file.Text.Split('\n');
            errors.Add(new PolicyError(file.Path, lines.Length, lines[^1].Length + 1, "the file ends inside a string, after a backslash", "close the string with \" and end the file with a newline; write \\\\ for a backslash"));
            return spans;
        }

        if (document.HasErrors)
        {
            foreach (var diagnostic in document.Diagnostics)
            {
                if (diagnostic.Kind == DiagnosticMessageKind.Error)
                {
                    errors.Add(At(diagnostic.Span.Start, diagnostic.Message, SyntaxHint(diagnostic.Message)));
                }
            }

            return spans;
        }

        CheckDuplicates(document);
        foreach (var item in document.KeyValues)
        {
            var key = KeyName(item);
            if (key is null)
            {
                continue;
            }

            if (key is TomlSchema.DnsRequired or TomlSchema.BlockDoh or TomlSchema.DnsGrace)
            {
                if (!isMain)
                {
                    errors.Add(At(item.Span.Start, $"'{key}' is only allowed in outgate.toml", "drop-in files in rules.d hold [[rule]] tables only"));
                }
                else
                {
                    ReadDnsSwitch(item, key);
                }

                continue;
            }

            if (key != TomlSchema.Logging)
            {
                var alias = key.Replace('_', '-') is var dashed && dashed != key && TomlSchema.TopLevelKeys.Contains(dashed) ? $"did you mean '{dashed}'?" : null;
                UnknownKey(item, key, TomlSchema.TopLevelKeys, alias ?? "top-level keys: logging, dns-required, block-doh, dns-grace; then tables [defaults], [daemon], [alerts] and [[rule]]", alias is not null);
                continue;
            }

            if (!isMain)
            {
                errors.Add(At(item.Span.Start, "'logging' is only allowed in outgate.toml", "drop-in files in rules.d hold [[rule]] tables only"));
                continue;
            }

            if (ReadString(item) is { } text)
            {
                if (TryParseLogLevel(text) is { } level)
                {
                    logging = level;
                }
                else
                {
                    errors.Add(At(item.Value!.Span.Start, $"invalid logging level '{Quote.Escape(text)}'", Suggestion.Hint(text, ["off", "on", "low", "medium", "high", "full"]) ?? "use off, on, low, medium, high or full"));
                }
            }
        }

        foreach (var table in document.Tables)
        {
            var name = table.Name?.ToString().Trim() ?? "";
            if (TableName(table.Name) is var dotted && IsAlertTable(dotted))
            {
                ReadAlertTable(table, dotted);
                continue;
            }

            switch (table)
            {
                case TableArraySyntax when name == TomlSchema.RuleTable:
                    spans.Add(new TextSpan(table.Span.Start.Offset, table.Span.End.Offset + 1));
                    if (ReadRule(table) is { } rule)
                    {
                        rules.Add(rule);
                        origins.Add(new RuleOrigin(file.Path, table.Span.Start.Line + 1, table.Span.Start.Column + 1));
                    }
                    else
                    {
                        // Keep numbering aligned with the file even when a rule is bad; the load fails anyway.
                        rules.Add(new Rule { Action = RuleAction.Deny });
                        origins.Add(new RuleOrigin(file.Path, table.Span.Start.Line + 1, table.Span.Start.Column + 1));
                    }

                    break;
                case TableSyntax when name == TomlSchema.DefaultsTable:
                    if (!isMain)
                    {
                        errors.Add(At(table.Span.Start, "[defaults] is only allowed in outgate.toml", "drop-in files in rules.d hold [[rule]] tables only"));
                        break;
                    }

                    defaults = ReadDefaults(table, defaults);
                    break;
                case TableSyntax when name == TomlSchema.DaemonTable:
                    if (!isMain)
                    {
                        errors.Add(At(table.Span.Start, "[daemon] is only allowed in outgate.toml", "drop-in files in rules.d hold [[rule]] tables only"));
                        break;
                    }

                    ReadDaemon(table);
                    break;
                case TableSyntax when name == TomlSchema.RuleTable:
                    errors.Add(At(table.Span.Start, "[rule] must be an array of tables", "write [[rule]] (double brackets) for each rule"));
                    break;
                case TableArraySyntax when name == TomlSchema.DefaultsTable:
                    errors.Add(At(table.Span.Start, "[[defaults]] must be a single table", "write [defaults] (single brackets)"));
                    break;
                default:
                    var suggestion = Suggestion.Closest(name, [TomlSchema.RuleTable, TomlSchema.DefaultsTable, TomlSchema.DaemonTable, TomlSchema.AlertsTable]);
                    errors.Add(At(table.Span.Start, $"unknown table '{Quote.Escape(name)}'",
                        suggestion is null ? "the tables are [defaults], [daemon], [alerts] (with [alerts.NAME]) and [[rule]]" : $"did you mean '{(suggestion == TomlSchema.RuleTable ? "[[rule]]" : $"[{suggestion}]")}'?"));
                    break;
            }
        }

        return spans;
    }

    /// <summary>The main file's <c>[daemon] fail_open</c> (false when absent).</summary>
    public bool FailOpen { get; private set; }

    private void ReadDaemon(TableSyntaxBase table)
    {
        foreach (var item in table.Items)
        {
            var key = KeyName(item);
            if (key is null)
            {
                continue;
            }

            if (key is TomlSchema.DnsRequired or TomlSchema.BlockDoh or TomlSchema.DnsGrace)
            {
                ReadDnsSwitch(item, key);
                continue;
            }

            if (key != TomlSchema.FailOpen)
            {
                UnknownKey(item, key, TomlSchema.DaemonKeys, "the keys of [daemon] are fail_open, dns-required, block-doh and dns-grace");
                continue;
            }

            if (item.Value is BooleanValueSyntax flag)
            {
                FailOpen = flag.Value;
            }
            else
            {
                errors.Add(At(item.Value!.Span.Start, $"'fail_open' must be true or false, not {Describe(item.Value)}", "write fail_open = false (drop unanswered connections) or true"));
            }
        }
    }

    /// <summary>The main file's dns-required / block-doh / dns-grace; null when none is written (defaults apply).</summary>
    public DnsSwitches? Dns { get; private set; }

    private readonly Dictionary<string, int> dnsKeysSeen = new(StringComparer.Ordinal);

    private void ReadDnsSwitch(KeyValueSyntax item, string key)
    {
        // The same switch at the top level and in [daemon] would leave the reader guessing which one the admin meant.
        if (dnsKeysSeen.TryGetValue(key, out var firstLine))
        {
            errors.Add(At(item.Span.Start, $"'{key}' is set twice (first at line {firstLine})", "keep one: at the top level or in [daemon]"));
            return;
        }

        dnsKeysSeen[key] = item.Span.Start.Line + 1;
        var dns = Dns ?? new DnsSwitches(false, false, FirewallPolicy.DefaultDnsGrace);
        if (key == TomlSchema.DnsGrace)
        {
            var text = item.Value switch
            {
                StringValueSyntax s => s.Value ?? "",
                IntegerValueSyntax i => i.Value.ToString(CultureInfo.InvariantCulture) + "s",
                _ => null,
            };
            if (text is null)
            {
                errors.Add(At(item.Value!.Span.Start, $"'{key}' must be a duration string, not {Describe(item.Value)}", "e.g. dns-grace = \"3s\" (also \"500ms\", \"1m\")"));
                return;
            }

            if (!DnsGraceSyntax.TryParse(text, out var grace, out var problem))
            {
                errors.Add(At(item.Value!.Span.Start, problem, "e.g. dns-grace = \"3s\" (also \"500ms\", \"1m\"; at most 1h)"));
                return;
            }

            Dns = dns with { DnsGrace = grace };
            return;
        }

        if (item.Value is not BooleanValueSyntax flag)
        {
            errors.Add(At(item.Value!.Span.Start, $"'{key}' must be true or false, not {Describe(item.Value)}", $"write {key} = true (or false)"));
            return;
        }

        Dns = key == TomlSchema.DnsRequired ? dns with { DnsRequired = flag.Value } : dns with { BlockDoh = flag.Value };
    }

    private Defaults ReadDefaults(TableSyntaxBase table, Defaults defaults)
    {
        foreach (var item in table.Items)
        {
            var key = KeyName(item);
            if (key is null)
            {
                continue;
            }

            var direction = key switch
            {
                TomlSchema.Incoming => Direction.In,
                TomlSchema.Outgoing => Direction.Out,
                TomlSchema.Routed => Direction.Forward,
                _ => (Direction?)null,
            };
            if (direction is null)
            {
                var hint = key is "forward" or "input" or "output" ? $"write '{(key == "forward" ? TomlSchema.Routed : key == "input" ? TomlSchema.Incoming : TomlSchema.Outgoing)}'" : null;
                UnknownKey(item, key, TomlSchema.DefaultsKeys, hint ?? "the keys of [defaults] are incoming, outgoing and routed");
                continue;
            }

            if (ReadString(item) is not { } text)
            {
                continue;
            }

            DefaultPolicy? policy = text.ToLowerInvariant() switch
            {
                "allow" => DefaultPolicy.Allow,
                "deny" => DefaultPolicy.Deny,
                "reject" => DefaultPolicy.Reject,
                "disabled" when direction == Direction.Forward => DefaultPolicy.Disabled,
                _ => null,
            };
            if (policy is null)
            {
                var allowed = direction == Direction.Forward ? "allow, deny, reject or disabled" : "allow, deny or reject";
                errors.Add(At(item.Value!.Span.Start, $"invalid {key} policy '{Quote.Escape(text)}'", Suggestion.Hint(text, ["allow", "deny", "reject"]) ?? $"use {allowed}"));
                continue;
            }

            defaults = defaults.With(direction.Value, policy.Value);
        }

        return defaults;
    }

    /// <summary>Files larger than this (characters) skip Tomlyn's validating pass.</summary>
    internal const int ValidatingParserLimit = 1 << 20;

    private void CheckDuplicates(DocumentSyntax document)
    {
        CheckDuplicateKeys(document.KeyValues);
        TextPosition? defaults = null;
        foreach (var table in document.Tables)
        {
            if (table is TableSyntax && table.Name?.ToString().Trim() == TomlSchema.DefaultsTable)
            {
                if (defaults is { } first)
                {
                    errors.Add(At(table.Span.Start, $"table [defaults] is defined twice (first at line {first.Line + 1})", "merge the two [defaults] tables"));
                }

                defaults ??= table.Span.Start;
            }

            CheckDuplicateKeys(table.Items);
        }
    }

    private void CheckDuplicateKeys(SyntaxList<KeyValueSyntax> items)
    {
        if (items.ChildrenCount < 2)
        {
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var key = item.Key?.ToString().Trim() ?? "";
            if (seen.TryGetValue(key, out var line))
            {
                errors.Add(At(item.Span.Start, $"duplicate key '{Quote.Escape(key)}' (first defined at line {line})", "each key may appear once per table; remove or rename the duplicate"));
            }
            else
            {
                seen[key] = item.Span.Start.Line + 1;
            }
        }
    }

    private string? ReadString(KeyValueSyntax item)
    {
        if (item.Value is StringValueSyntax text)
        {
            return text.Value ?? "";
        }

        errors.Add(At(item.Value!.Span.Start, $"'{KeyName(item)}' must be a string, not {Describe(item.Value)}", $"quote the value: {KeyName(item)} = \"...\""));
        return null;
    }

    private string? KeyName(KeyValueSyntax item)
    {
        if (item.Key is not { } key)
        {
            return null;
        }

        if (key.DotKeys.ChildrenCount > 0)
        {
            errors.Add(At(key.Span.Start, $"dotted key '{Quote.Escape(key.ToString().Trim())}' is not supported", "write plain keys inside the table"));
            return null;
        }

        return key.Key switch
        {
            BareKeySyntax bare => bare.Key?.Text ?? "",
            StringValueSyntax quoted => quoted.Value ?? "",
            _ => "",
        };
    }

    private void UnknownKey(KeyValueSyntax item, string key, string[] known, string hint, bool hintIsSuggestion = false)
    {
        var suggestion = hintIsSuggestion ? hint : Suggestion.Hint(key, known) ?? hint;
        errors.Add(At(item.Key!.Span.Start, $"unknown key '{Quote.Escape(key)}'", suggestion));
    }

    private PolicyError At(TextPosition position, string message, string? hint)
        => new(file.Path, position.Line + 1, position.Column + 1, message, hint);

    private static string Describe(ValueSyntax? value) => value switch
    {
        IntegerValueSyntax => "an integer",
        BooleanValueSyntax => "a boolean",
        FloatValueSyntax => "a float",
        ArraySyntax => "an array",
        InlineTableSyntax => "an inline table",
        DateTimeValueSyntax => "a date",
        StringValueSyntax => "a string",
        _ => "this value",
    };

    private static LogLevel? TryParseLogLevel(string text) => text.ToLowerInvariant() switch
    {
        "off" => LogLevel.Off,
        "on" or "low" => LogLevel.Low,
        "medium" => LogLevel.Medium,
        "high" => LogLevel.High,
        "full" => LogLevel.Full,
        _ => null,
    };

    private static string SyntaxHint(string message)
        => message.Contains("already defined", StringComparison.Ordinal)
            ? "each key may appear once per table; remove or rename the duplicate"
            : "fix the TOML syntax here (strings need double quotes, tables are [name] or [[rule]])";
}
