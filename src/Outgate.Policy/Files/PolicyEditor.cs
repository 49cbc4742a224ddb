using Tomlyn.Syntax;

namespace Outgate.Policy;

/// <summary>
/// ufw-style edits as text splices located through the Tomlyn syntax tree: a rule is added as a new <c>[[rule]]</c> table,
/// deleted by removing exactly its table's span, inserted before the comment block that precedes the rule it displaces;
/// values are replaced token by token. Everything else in the file stays byte-identical. The whole new policy is validated
/// before a write is proposed.
/// </summary>
internal static class PolicyEditor
{
    private const string CommandLine = "<command line>";

    public static PolicyEditResult AddRule(PolicyFileSet set, Rule rule)
    {
        if (Invalid(rule) is { } invalid)
        {
            return invalid;
        }

        var existing = IndexOfEquivalent(set.Policy.Rules, rule);
        if (existing >= 0)
        {
            return SameLifetime(set.Policy.Rules[existing], rule)
                ? Unchanged(set, WithFamilies("Skipping adding existing rule", rule))
                : ChangeLifetime(set, existing + 1, rule);
        }

        var (path, text) = MainText(set);
        var separator = text.Length == 0 || text.EndsWith("\n\n", StringComparison.Ordinal) ? "" : text.EndsWith('\n') ? "\n" : "\n\n";
        return Propose(set, path, text + separator + PolicyTomlWriter.RuleTable(rule), WithFamilies("Rule added", rule));
    }

    public static PolicyEditResult InsertRule(PolicyFileSet set, int position, Rule rule)
    {
        if (Invalid(rule) is { } invalid)
        {
            return invalid;
        }

        if (position < 1 || position > set.Policy.Rules.Count)
        {
            return NotFound(set, $"Invalid position '{position}'", $"positions are 1-{set.Policy.Rules.Count}, as shown by 'status numbered'");
        }

        var existing = IndexOfEquivalent(set.Policy.Rules, rule);
        if (existing >= 0)
        {
            return SameLifetime(set.Policy.Rules[existing], rule)
                ? Unchanged(set, WithFamilies("Skipping inserting existing rule", rule))
                : ChangeLifetime(set, existing + 1, rule);
        }

        var (file, span) = Locate(set, position);
        var text = file.File.Text;
        var at = StartOfLeadingComments(text, span.Start);
        var updated = text[..at] + PolicyTomlWriter.RuleTable(rule) + "\n" + text[at..];
        return Propose(set, file.File.Path, updated, WithFamilies("Rule inserted", rule));
    }

    public static PolicyEditResult DeleteRule(PolicyFileSet set, int position)
    {
        if (position < 1 || position > set.Policy.Rules.Count)
        {
            return NotFound(set, $"Could not find rule '{position}'", $"rules are numbered 1-{set.Policy.Rules.Count}, see 'status numbered'");
        }

        var (file, span) = Locate(set, position);
        var text = file.File.Text;
        var (start, end) = (span.Start, span.End);
        // Take one separating blank line with the table so deletions do not pile up empty lines.
        if (end < text.Length && text[end] == '\n')
        {
            end++;
        }
        else if (end == text.Length && start >= 2 && text[start - 1] == '\n' && text[start - 2] == '\n')
        {
            start--;
        }

        var updated = text[..start] + text[end..];
        return Propose(set, file.File.Path, updated, WithFamilies("Rule deleted", set.Policy.Rules[position - 1]));
    }

    private static bool SameLifetime(Rule a, Rule b) => a.Expires == b.Expires && a.BootId == b.BootId;

    /// <summary>
    /// Adding a rule that exists with another lifetime (<c>--for 1h</c> again, or without <c>--for</c>) renews it in place:
    /// only the <c>expires</c> and <c>boot_id</c> values of its table change; its position, other keys and comments stay.
    /// </summary>
    private static PolicyEditResult ChangeLifetime(PolicyFileSet set, int position, Rule rule)
    {
        var updated = set.Policy.Rules[position - 1] with { Expires = rule.Expires, BootId = rule.BootId };
        var (file, span) = Locate(set, position);
        var table = file.Document.Tables.OfType<TableArraySyntax>().First(t => t.Span.Start.Offset == span.Start);
        var text = file.File.Text;
        var edits = new List<(int Start, int End, string Text)>();
        foreach (var (key, value) in new[]
                 {
                     (TomlSchema.Expires, updated.Expires is { } expires ? RuleTimestamp.Format(expires) : null),
                     (TomlSchema.BootId, updated.BootId is { } bootId ? PolicyTomlWriter.Quoted(bootId) : null),
                 })
        {
            var item = table.Items.FirstOrDefault(i => i.Key?.Key is BareKeySyntax bare && bare.Key?.Text == key);
            if (item?.Value is { } old)
            {
                edits.Add(value is null
                    ? (LineStart(text, item.Span.Start.Offset), LineEnd(text, old.Span.End.Offset + 1), "")
                    : (old.Span.Start.Offset, old.Span.End.Offset + 1, value));
            }
            else if (value is not null)
            {
                // After the line of the table's last value (a [[rule]] always has at least 'action').
                var last = table.Items.GetChild(table.Items.ChildrenCount - 1)!;
                var at = LineEnd(text, last.Value!.Span.End.Offset);
                edits.Add((at, at, (at > 0 && text[at - 1] != '\n' ? "\n" : "") + $"{key} = {value}\n"));
            }
        }

        foreach (var (start, end, replacement) in edits.OrderByDescending(e => e.Start))
        {
            text = text[..start] + replacement + text[end..];
        }

        return Propose(set, file.File.Path, text, WithFamilies("Rule updated", updated));
    }

    private static int LineStart(string text, int offset) => offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;

    private static int LineEnd(string text, int offset)
    {
        var newline = text.IndexOf('\n', Math.Min(offset, text.Length));
        return newline < 0 ? text.Length : newline + 1;
    }

    public static PolicyEditResult DeleteRule(PolicyFileSet set, Rule rule)
    {
        var index = IndexOfEquivalent(set.Policy.Rules, rule);
        return index < 0
            ? NotFound(set, "Could not delete non-existent rule", "see 'status numbered' and delete by number, or repeat the rule exactly as it was added")
            : DeleteRule(set, index + 1);
    }

    public static PolicyEditResult SetDefault(PolicyFileSet set, Direction direction, DefaultPolicy policy)
    {
        var key = TomlSchema.DefaultsKey(direction);
        if (policy == DefaultPolicy.Disabled && direction != Direction.Forward)
        {
            return new(PolicyEditOutcome.Invalid, $"ERROR: '{key}' cannot be disabled", null, [],
                [new PolicyError(CommandLine, 1, 1, $"only the routed default can be 'disabled'", "use allow, deny or reject")]);
        }

        var message = $"Default {key} policy changed to '{UfwStatusWriter.PolicyName(policy)}'\n(be sure to update your rules accordingly)";
        if (set.Policy.Defaults.For(direction) == policy && set.Loaded.Any(l => l.IsMain))
        {
            return Unchanged(set, message);
        }

        var value = PolicyTomlWriter.Quoted(UfwStatusWriter.PolicyName(policy));
        var main = set.Loaded.FirstOrDefault(l => l.IsMain);
        if (main is null)
        {
            var fresh = set.Policy with { Defaults = set.Policy.Defaults.With(direction, policy), Rules = [] };
            return Propose(set, set.MainPath, PolicyTomlWriter.MainFile(fresh), message);
        }

        var text = main.File.Text;
        var table = main.Document.Tables.OfType<TableSyntax>().FirstOrDefault(t => t.Name?.ToString().Trim() == TomlSchema.DefaultsTable);
        if (table is null)
        {
            var insert = $"[{TomlSchema.DefaultsTable}]\n{key} = {value}\n";
            return Propose(set, main.File.Path, InsertBeforeFirstRule(main, insert + "\n", insert), message);
        }

        return Propose(set, main.File.Path, SetValue(text, table.Items, key, value, table.Span.End.Offset + 1), message);
    }

    public static PolicyEditResult SetLogging(PolicyFileSet set, LogLevel level)
    {
        var message = level == LogLevel.Off ? "Logging disabled" : "Logging enabled";
        if (set.Policy.Logging == level && set.Loaded.Any(l => l.IsMain))
        {
            return Unchanged(set, message);
        }

        var value = PolicyTomlWriter.Quoted(UfwStatusWriter.LevelName(level));
        var main = set.Loaded.FirstOrDefault(l => l.IsMain);
        if (main is null)
        {
            return Propose(set, set.MainPath, PolicyTomlWriter.MainFile(set.Policy with { Logging = level, Rules = [] }), message);
        }

        var text = main.File.Text;
        var items = main.Document.KeyValues;
        if (items.ChildrenCount == 0)
        {
            var line = $"{TomlSchema.Logging} = {value}\n";
            var first = main.Document.Tables.ChildrenCount > 0 ? main.Document.Tables.GetChild(0) : null;
            var at = first is null ? text.Length : StartOfLeadingComments(text, first.Span.Start.Offset);
            var prefix = at > 0 && text[at - 1] != '\n' ? "\n" : "";
            var suffix = first is null ? "" : "\n";
            return Propose(set, main.File.Path, text[..at] + prefix + line + suffix + text[at..], message);
        }

        var lastEnd = items.GetChild(items.ChildrenCount - 1)!.Span.End.Offset + 1;
        return Propose(set, main.File.Path, SetValue(text, items, TomlSchema.Logging, value, lastEnd), message);
    }

    /// <summary>
    /// <c>dns-required on|off</c> and <c>block-doh on|off</c>: replaces the value where the key is written (top level or
    /// [daemon]), otherwise adds a top-level line after the other top-level keys (TOML needs them before the first table).
    /// </summary>
    public static PolicyEditResult SetSwitch(PolicyFileSet set, string key, bool on)
    {
        var current = key == TomlSchema.DnsRequired ? set.Policy.DnsRequired : set.Policy.BlockDoh;
        var message = key == TomlSchema.DnsRequired
            ? on ? "DNS required: new connections only to addresses DNS answered for (port 53 and allow rules' addresses stay open)" : "DNS no longer required"
            : on ? "Blocking DNS-over-HTTPS/TLS to well-known public resolvers (tcp/udp 443 and 853)" : "No longer blocking DNS-over-HTTPS/TLS resolvers";
        if (current == on && set.Loaded.Any(l => l.IsMain))
        {
            return Unchanged(set, message);
        }

        var value = on ? "true" : "false";
        var main = set.Loaded.FirstOrDefault(l => l.IsMain);
        if (main is null)
        {
            var fresh = key == TomlSchema.DnsRequired ? set.Policy with { DnsRequired = on, Rules = [] } : set.Policy with { BlockDoh = on, Rules = [] };
            return Propose(set, set.MainPath, PolicyTomlWriter.MainFile(fresh), message);
        }

        var text = main.File.Text;
        var daemon = main.Document.Tables.OfType<TableSyntax>().FirstOrDefault(t => t.Name?.ToString().Trim() == TomlSchema.DaemonTable);
        foreach (var items in daemon is null ? [main.Document.KeyValues] : new[] { main.Document.KeyValues, daemon.Items })
        {
            foreach (var item in items)
            {
                if (KeyText(item) == key && item.Value is { } old)
                {
                    return Propose(set, main.File.Path, text[..old.Span.Start.Offset] + value + text[(old.Span.End.Offset + 1)..], message);
                }
            }
        }

        var line = $"{key} = {value}\n";
        var top = main.Document.KeyValues;
        if (top.ChildrenCount > 0)
        {
            var at = LineEnd(text, top.GetChild(top.ChildrenCount - 1)!.Span.End.Offset);
            var prefix = at > 0 && text[at - 1] != '\n' ? "\n" : "";
            return Propose(set, main.File.Path, text[..at] + prefix + line + text[at..], message);
        }

        var first = main.Document.Tables.ChildrenCount > 0 ? main.Document.Tables.GetChild(0) : null;
        var start = first is null ? text.Length : StartOfLeadingComments(text, first.Span.Start.Offset);
        var before = start > 0 && text[start - 1] != '\n' ? "\n" : "";
        return Propose(set, main.File.Path, text[..start] + before + line + (first is null ? "" : "\n") + text[start..], message);
    }

    private static string? KeyText(KeyValueSyntax item) => item.Key?.Key switch
    {
        BareKeySyntax bare => bare.Key?.Text,
        StringValueSyntax quoted => quoted.Value,
        _ => null,
    };

    public static PolicyEditResult Reset(PolicyFileSet set, string backupSuffix)
    {
        var writes = new List<PolicyFileWrite>();
        var lines = new List<string>();
        var mainExists = false;
        foreach (var file in set.Loaded)
        {
            var backup = $"{file.File.Path}.{backupSuffix}";
            lines.Add($"Backing up '{Path.GetFileName(file.File.Path)}' to '{backup}'");
            if (file.IsMain)
            {
                mainExists = true;
                writes.Add(new PolicyFileWrite(file.File.Path, PolicyTomlWriter.MainFile(FirewallPolicy.Default), backup));
            }
            else
            {
                writes.Add(new PolicyFileWrite(file.File.Path, null, backup));
            }
        }

        var mainText = PolicyTomlWriter.MainFile(FirewallPolicy.Default);
        if (!mainExists)
        {
            writes.Insert(0, new PolicyFileWrite(set.MainPath, mainText));
        }

        var reloaded = PolicyFileSet.FromFiles(set.ConfigDirectory, [new PolicyFile(set.MainPath, mainText)]);
        lines.Add("Resetting all rules to installed defaults");
        return new(PolicyEditOutcome.Changed, string.Join('\n', lines), reloaded.FileSet, writes, reloaded.Errors);
    }

    private static string SetValue(string text, SyntaxList<KeyValueSyntax> items, string key, string value, int appendAt)
    {
        foreach (var item in items)
        {
            if (item.Key?.Key is BareKeySyntax bare && bare.Key?.Text == key && item.Value is { } old)
            {
                var start = old.Span.Start.Offset;
                return text[..start] + value + text[(old.Span.End.Offset + 1)..];
            }
        }

        var prefix = appendAt > 0 && text[appendAt - 1] != '\n' ? "\n" : "";
        return text[..appendAt] + prefix + $"{key} = {value}\n" + text[appendAt..];
    }

    private static string InsertBeforeFirstRule(LoadedPolicyFile main, string beforeTable, string atEnd)
    {
        var text = main.File.Text;
        var first = main.Document.Tables.ChildrenCount > 0 ? main.Document.Tables.GetChild(0) : null;
        if (first is null)
        {
            var separator = text.Length == 0 || text.EndsWith("\n\n", StringComparison.Ordinal) ? "" : text.EndsWith('\n') ? "\n" : "\n\n";
            return text + separator + atEnd;
        }

        var at = StartOfLeadingComments(text, first.Span.Start.Offset);
        return text[..at] + beforeTable + text[at..];
    }

    /// <summary>The start of the run of comment lines directly above <paramref name="lineStart"/> (no blank line between).</summary>
    private static int StartOfLeadingComments(string text, int lineStart)
    {
        var at = lineStart;
        while (at > 0)
        {
            var previousEnd = at - 1; // the '\n' ending the previous line
            var previousStart = text.LastIndexOf('\n', Math.Max(previousEnd - 1, 0)) + 1;
            if (previousEnd == 0)
            {
                previousStart = 0;
            }

            var line = text[previousStart..previousEnd].Trim();
            if (!line.StartsWith('#'))
            {
                break;
            }

            at = previousStart;
        }

        return at;
    }

    private static (LoadedPolicyFile File, TextSpan Span) Locate(PolicyFileSet set, int position)
    {
        var remaining = position - 1;
        foreach (var file in set.Loaded)
        {
            if (remaining < file.RuleSpans.Count)
            {
                return (file, file.RuleSpans[remaining]);
            }

            remaining -= file.RuleSpans.Count;
        }

        PolicyThrow.RulePositionOutOfRange(position, set.Policy.Rules.Count, nameof(position));
        return default;
    }

    private static (string Path, string Text) MainText(PolicyFileSet set)
    {
        var main = set.Loaded.FirstOrDefault(l => l.IsMain);
        return main is null
            ? (set.MainPath, PolicyTomlWriter.MainFile(set.Policy with { Rules = [] }))
            : (main.File.Path, main.File.Text);
    }

    private static PolicyEditResult Propose(PolicyFileSet set, string path, string text, string message)
    {
        var files = set.Files.ToList();
        var index = files.FindIndex(f => f.Path == path);
        if (index >= 0)
        {
            files[index] = new PolicyFile(path, text);
        }
        else
        {
            files.Insert(0, new PolicyFile(path, text));
        }

        var reloaded = PolicyFileLoader.FromFiles(set.ConfigDirectory, files, set.Loaded);
        return reloaded.Succeeded
            ? new(PolicyEditOutcome.Changed, message, reloaded.FileSet, [new PolicyFileWrite(path, text)], [])
            : new(PolicyEditOutcome.Invalid, "ERROR: the edited policy does not validate; nothing was written", null, [], reloaded.Errors);
    }

    private static PolicyEditResult? Invalid(Rule rule)
    {
        var problems = rule.Validate();
        return problems.Count == 0
            ? null
            : new(PolicyEditOutcome.Invalid, "ERROR: " + problems[0], null, [], problems.Select(p => new PolicyError(CommandLine, 1, 1, p)).ToArray());
    }

    private static PolicyEditResult Unchanged(PolicyFileSet set, string message) => new(PolicyEditOutcome.Unchanged, message, set, [], []);

    private static PolicyEditResult NotFound(PolicyFileSet set, string message, string hint)
        => new(PolicyEditOutcome.NotFound, $"ERROR: {message}", set, [], [new PolicyError(CommandLine, 1, 1, message, hint)]);

    private static int IndexOfEquivalent(IReadOnlyList<Rule> rules, Rule rule)
    {
        // The lifetime is not part of what a rule says: 'delete allow out app curl' finds the rule added with '--for 1h'.
        var key = rule with { Comment = null, Expires = null, BootId = null };
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i] with { Comment = null, Expires = null, BootId = null } == key)
            {
                return i;
            }
        }

        return -1;
    }

    private static string WithFamilies(string message, Rule rule) => rule.Families switch
    {
        AddressFamilies.Both => $"{message}\n{message} (v6)",
        AddressFamilies.IPv6 => $"{message} (v6)",
        _ => message,
    };
}
