using Tomlyn.Syntax;

namespace Outgate.Policy;

/// <summary><c>[alerts]</c> and <c>[alerts.NAME]</c> (outgate.toml only) into <see cref="AlertSettings"/>.</summary>
internal sealed partial class PolicyFileReader
{
    /// <summary>Severity names from least to most severe, as syslog and the event store spell them.</summary>
    internal static readonly string[] SeverityNames = ["debug", "info", "notice", "warning", "error", "critical"];

    /// <summary>The main file's alert settings; null when it has no [alerts] table (defaults apply).</summary>
    public AlertSettings? Alerts { get; private set; }

    private readonly Dictionary<string, int> alertTablesSeen = new(StringComparer.Ordinal);

    /// <summary>The dotted name of a table header with quotes resolved: <c>[alerts."dns-tunnel"]</c> is <c>alerts.dns-tunnel</c>.</summary>
    private static string TableName(KeySyntax? key)
    {
        if (key is null)
        {
            return "";
        }

        var parts = new List<string> { Segment(key.Key) };
        foreach (var dot in key.DotKeys)
        {
            parts.Add(Segment(dot.Key));
        }

        return string.Join('.', parts);

        static string Segment(SyntaxNode? node) => node switch
        {
            BareKeySyntax bare => bare.Key?.Text ?? "",
            StringValueSyntax quoted => quoted.Value ?? "",
            _ => node?.ToString()?.Trim() ?? "",
        };
    }

    private static bool IsAlertTable(string name) => name == TomlSchema.AlertsTable || name.StartsWith(TomlSchema.AlertsTable + ".", StringComparison.Ordinal);

    private void ReadAlertTable(TableSyntaxBase table, string name)
    {
        if (table is TableArraySyntax)
        {
            errors.Add(At(table.Span.Start, $"[[{Quote.Escape(name)}]] must be a single table", $"write [{Quote.Escape(name)}] (single brackets)"));
            return;
        }

        if (!isMain)
        {
            errors.Add(At(table.Span.Start, $"[{Quote.Escape(name)}] is only allowed in outgate.toml", "drop-in files in rules.d hold [[rule]] tables only"));
            return;
        }

        var sub = name == TomlSchema.AlertsTable ? "" : name[(TomlSchema.AlertsTable.Length + 1)..];
        if (!TomlSchema.AlertTables.TryGetValue(sub, out var keys))
        {
            var names = TomlSchema.AlertTables.Keys.Where(k => k.Length > 0).ToArray();
            var closest = Suggestion.Closest(sub.Replace('_', '-'), names);
            errors.Add(At(table.Span.Start, $"unknown table '[{Quote.Escape(name)}]'",
                closest is null ? $"the alert tables are [alerts] and [alerts.NAME] with NAME one of {string.Join(", ", names)}" : $"did you mean '[alerts.{closest}]'?"));
            return;
        }

        // Tomlyn's validating pass catches a repeated table header in normal-sized files; this covers the big ones too.
        if (alertTablesSeen.TryGetValue(name, out var firstLine))
        {
            errors.Add(At(table.Span.Start, $"table [{name}] is defined twice (first at line {firstLine})", $"merge the two [{name}] tables"));
            return;
        }

        alertTablesSeen[name] = table.Span.Start.Line + 1;
        var alerts = Alerts ?? AlertSettings.Default;
        foreach (var item in table.Items)
        {
            var key = KeyName(item);
            if (key is null)
            {
                continue;
            }

            if (!keys.Contains(key))
            {
                if (item.Value is InlineTableSyntax && sub.Length == 0 && TomlSchema.AlertTables.ContainsKey(key))
                {
                    errors.Add(At(item.Key!.Span.Start, $"'{Quote.Escape(key)}' must be its own table", $"write [alerts.{key}] on a line of its own, its keys below it"));
                    continue;
                }

                var dashed = key.Replace('-', '_');
                var hint = dashed != key && keys.Contains(dashed) ? $"did you mean '{dashed}'?" : null;
                UnknownKey(item, key, keys, hint ?? $"the keys of [{name}] are {string.Join(", ", keys)}", hint is not null);
                continue;
            }

            alerts = ReadAlertKey(alerts, sub, key, item);
        }

        Alerts = alerts;
    }

    private AlertSettings ReadAlertKey(AlertSettings a, string table, string key, KeyValueSyntax item) => (table, key) switch
    {
        ("", TomlSchema.Dedup) => ReadDuration(item, TimeSpan.Zero, TimeSpan.FromDays(1), "0 turns flood control off") is { } d ? a with { Dedup = d } : a,
        ("", TomlSchema.MinSeverity) => ReadSeverity(item) is { } s ? a with { MinSeverity = s } : a,
        (TomlSchema.ConnectBack, TomlSchema.Enabled) => ReadBool(item) is { } b ? a with { ConnectBack = a.ConnectBack with { Enabled = b } } : a,
        (TomlSchema.ConnectBack, TomlSchema.Block) => ReadBool(item) is { } b ? a with { ConnectBack = a.ConnectBack with { Block = b } } : a,
        (TomlSchema.ConnectBack, TomlSchema.ExtraTools) => ReadStrings(item, ToolNameProblem, "e.g. extra_tools = [\"busybox\", \"pwsh\"]") is { } t ? a with { ConnectBack = a.ConnectBack with { ExtraTools = t } } : a,
        (TomlSchema.NewApp, TomlSchema.Enabled) => ReadBool(item) is { } b ? a with { NewApp = new DetectorSwitch { Enabled = b } } : a,
        (TomlSchema.Exfiltration, TomlSchema.Enabled) => ReadBool(item) is { } b ? a with { Exfiltration = a.Exfiltration with { Enabled = b } } : a,
        (TomlSchema.Exfiltration, TomlSchema.Threshold) => ReadSize(item) is { } n ? a with { Exfiltration = a.Exfiltration with { ThresholdBytes = n } } : a,
        (TomlSchema.Exfiltration, TomlSchema.NewDestination) => ReadSize(item) is { } n ? a with { Exfiltration = a.Exfiltration with { NewDestinationBytes = n } } : a,
        (TomlSchema.Exfiltration, TomlSchema.Window) => ReadWindow(item) is { } w ? a with { Exfiltration = a.Exfiltration with { Window = w } } : a,
        (TomlSchema.DnsTunnel, TomlSchema.Enabled) => ReadBool(item) is { } b ? a with { DnsTunnel = a.DnsTunnel with { Enabled = b } } : a,
        (TomlSchema.DnsTunnel, TomlSchema.MaxLabel) => ReadInteger(item, 1, 63, "a DNS label has at most 63 characters") is { } n ? a with { DnsTunnel = a.DnsTunnel with { MaxLabelLength = (int)n } } : a,
        (TomlSchema.DnsTunnel, TomlSchema.MaxEntropy) => ReadNumber(item, 0.1, 8, "bits per character; base32 text is about 5, hex 4, English words 3") is { } x ? a with { DnsTunnel = a.DnsTunnel with { MaxEntropy = x } } : a,
        (TomlSchema.DnsTunnel, TomlSchema.UniqueSubdomains) => ReadInteger(item, 1, 1_000_000, "distinct names under one domain within the window") is { } n ? a with { DnsTunnel = a.DnsTunnel with { UniqueSubdomains = (int)n } } : a,
        (TomlSchema.DnsTunnel, TomlSchema.TxtQueries) => ReadInteger(item, 1, 1_000_000, "TXT/NULL queries within the window") is { } n ? a with { DnsTunnel = a.DnsTunnel with { TxtQueries = (int)n } } : a,
        (TomlSchema.DnsTunnel, TomlSchema.Window) => ReadWindow(item) is { } w ? a with { DnsTunnel = a.DnsTunnel with { Window = w } } : a,
        (TomlSchema.Blocklist, TomlSchema.Enabled) => ReadBool(item) is { } b ? a with { Blocklist = a.Blocklist with { Enabled = b } } : a,
        (TomlSchema.Blocklist, TomlSchema.Lists) => ReadStrings(item, ListPathProblem, "e.g. lists = [\"/etc/outgate/lists/bad-hosts.txt\"]") is { } l ? a with { Blocklist = a.Blocklist with { Lists = l } } : a,
        (TomlSchema.RawIp, TomlSchema.Enabled) => ReadBool(item) is { } b ? a with { RawIp = new DetectorSwitch { Enabled = b } } : a,
        (TomlSchema.DnsPort, TomlSchema.Enabled) => ReadBool(item) is { } b ? a with { DnsPort = new DetectorSwitch { Enabled = b } } : a,
        (TomlSchema.Beaconing, TomlSchema.Enabled) => ReadBool(item) is { } b ? a with { Beaconing = a.Beaconing with { Enabled = b } } : a,
        (TomlSchema.Beaconing, TomlSchema.Attempts) => ReadInteger(item, 1, 1_000_000, "refused attempts within the window") is { } n ? a with { Beaconing = a.Beaconing with { Attempts = (int)n } } : a,
        (TomlSchema.Beaconing, TomlSchema.Window) => ReadWindow(item) is { } w ? a with { Beaconing = a.Beaconing with { Window = w } } : a,
        (TomlSchema.Syslog, TomlSchema.Target) => ReadUri(item, SyslogTargetSyntax.TryParse, $"e.g. target = {SyslogTargetSyntax.Examples}") is { } u ? a with { Sinks = a.Sinks with { Syslog = u } } : a,
        (TomlSchema.Webhook, TomlSchema.Url) => ReadUri(item, WebhookUrlSyntax.TryParse, "e.g. url = \"https://hooks.example/outgate\"") is { } u ? a with { Sinks = a.Sinks with { Webhook = u } } : a,
        (TomlSchema.Journal, TomlSchema.Enabled) => ReadBool(item) is { } b ? a with { Sinks = a.Sinks with { Journal = b } } : a,
        (TomlSchema.Desktop, TomlSchema.Enabled) => ReadBool(item) is { } b ? a with { Sinks = a.Sinks with { Desktop = b } } : a,
        _ => a,
    };

    private bool? ReadBool(KeyValueSyntax item)
    {
        if (item.Value is BooleanValueSyntax flag)
        {
            return flag.Value;
        }

        var key = KeyName(item);
        errors.Add(At(item.Value!.Span.Start, $"'{key}' must be true or false, not {Describe(item.Value)}", $"write {key} = true (or false)"));
        return null;
    }

    private long? ReadInteger(KeyValueSyntax item, long min, long max, string meaning)
    {
        var key = KeyName(item);
        if (item.Value is not IntegerValueSyntax integer)
        {
            errors.Add(At(item.Value!.Span.Start, $"'{key}' must be an integer, not {Describe(item.Value)}", $"write {key} = {min} to {max} ({meaning})"));
            return null;
        }

        if (integer.Value < min || integer.Value > max)
        {
            errors.Add(At(item.Value.Span.Start, $"'{key}' = {integer.Value} is out of range", $"give {min} to {max} ({meaning})"));
            return null;
        }

        return integer.Value;
    }

    private double? ReadNumber(KeyValueSyntax item, double min, double max, string meaning)
    {
        var key = KeyName(item);
        double? value = item.Value switch
        {
            FloatValueSyntax f => f.Value,
            IntegerValueSyntax i => i.Value,
            _ => null,
        };
        if (value is null)
        {
            errors.Add(At(item.Value!.Span.Start, $"'{key}' must be a number, not {Describe(item.Value)}", $"write {key} = 4.0 ({meaning})"));
            return null;
        }

        if (!(value >= min && value <= max))
        {
            errors.Add(At(item.Value!.Span.Start, $"'{key}' = {value.Value.ToString(CultureInfo.InvariantCulture)} is out of range", $"give {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} ({meaning})"));
            return null;
        }

        return value;
    }

    private TimeSpan? ReadWindow(KeyValueSyntax item) => ReadDuration(item, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "how far back the detector counts");

    private TimeSpan? ReadDuration(KeyValueSyntax item, TimeSpan min, TimeSpan max, string meaning)
    {
        var key = KeyName(item);
        var range = $"{AlertDurationSyntax.Format(min)} to {AlertDurationSyntax.Format(max)}";
        TimeSpan duration;
        if (item.Value is IntegerValueSyntax seconds)
        {
            if (seconds.Value < 0 || seconds.Value > max.TotalSeconds)
            {
                errors.Add(At(item.Value.Span.Start, $"'{key}' = {seconds.Value} seconds is out of range", $"give {range} ({meaning})"));
                return null;
            }

            duration = TimeSpan.FromSeconds(seconds.Value);
        }
        else if (item.Value is StringValueSyntax text)
        {
            if (!AlertDurationSyntax.TryParse(text.Value ?? "", out duration, out var problem))
            {
                errors.Add(At(item.Value.Span.Start, $"bad '{key}': {problem}", $"e.g. {key} = \"5m\" ({range})"));
                return null;
            }
        }
        else
        {
            errors.Add(At(item.Value!.Span.Start, $"'{key}' must be a duration string, not {Describe(item.Value)}", $"write {key} = \"5m\" (units ms, s, m, h, d; {range})"));
            return null;
        }

        if (duration < min || duration > max)
        {
            errors.Add(At(item.Value.Span.Start, $"'{key}' = {AlertDurationSyntax.Format(duration)} is out of range", $"give {range} ({meaning})"));
            return null;
        }

        return duration;
    }

    private long? ReadSize(KeyValueSyntax item)
    {
        var key = KeyName(item);
        long bytes;
        if (item.Value is IntegerValueSyntax integer)
        {
            bytes = integer.Value;
        }
        else if (item.Value is StringValueSyntax text)
        {
            if (!ByteSizeSyntax.TryParse(text.Value ?? "", out bytes, out var problem))
            {
                errors.Add(At(item.Value.Span.Start, $"bad '{key}': {problem}", $"e.g. {key} = \"20MB\" (kB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024)"));
                return null;
            }
        }
        else
        {
            errors.Add(At(item.Value!.Span.Start, $"'{key}' must be a size, not {Describe(item.Value)}", $"write {key} = {ByteSizeSyntax.Examples}"));
            return null;
        }

        if (bytes < 1 || bytes > ByteSizeSyntax.Max)
        {
            errors.Add(At(item.Value.Span.Start, $"'{key}' = {bytes} bytes is out of range", "give 1 byte to 1PB, e.g. \"20MB\""));
            return null;
        }

        return bytes;
    }

    private string? ReadSeverity(KeyValueSyntax item)
    {
        if (ReadString(item) is not { } text)
        {
            return null;
        }

        var name = text.Trim().ToLowerInvariant();
        if (SeverityNames.Contains(name))
        {
            return name;
        }

        var hint = name is "warn" ? "did you mean 'warning'?" : name is "crit" or "fatal" or "emerg" or "alert" ? "did you mean 'critical'?" : name is "err" ? "did you mean 'error'?" : null;
        errors.Add(At(item.Value!.Span.Start, $"unknown severity '{Quote.Escape(text)}'", hint ?? Suggestion.Hint(name, SeverityNames) ?? $"use one of {string.Join(", ", SeverityNames)}"));
        return null;
    }

    private IReadOnlyList<string>? ReadStrings(KeyValueSyntax item, Func<string, string?> problemOf, string example)
    {
        var key = KeyName(item);
        if (item.Value is not ArraySyntax array)
        {
            errors.Add(At(item.Value!.Span.Start, $"'{key}' must be an array of strings, not {Describe(item.Value)}", example));
            return null;
        }

        var values = new List<string>();
        var ok = true;
        foreach (var element in array.Items)
        {
            if (element.Value is not StringValueSyntax text)
            {
                errors.Add(At(element.Span.Start, $"'{key}' holds {Describe(element.Value)}, not a string", example));
                ok = false;
                continue;
            }

            var value = text.Value ?? "";
            if (problemOf(value) is { } problem)
            {
                errors.Add(At(element.Span.Start, $"bad '{key}' entry '{Quote.Escape(value)}': {problem}", example));
                ok = false;
                continue;
            }

            values.Add(value);
        }

        return ok ? values : null;
    }

    private static string? ToolNameProblem(string name) =>
        name.Length == 0 ? "empty name"
        : name.Contains('/') ? "give the executable's base name (busybox), not a path"
        : name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? "a base name has no spaces or control characters"
        : name.Length > 255 ? "longer than a file name can be"
        : null;

    private static string? ListPathProblem(string path) =>
        path.Length == 0 ? "empty path"
        : path.Any(char.IsControl) ? "control characters in a path"
        : null;

    private delegate bool UriParser(string text, [NotNullWhen(true)] out Uri? uri, [NotNullWhen(false)] out string? error);

    private Uri? ReadUri(KeyValueSyntax item, UriParser parse, string example)
    {
        if (ReadString(item) is not { } text)
        {
            return null;
        }

        if (parse(text, out var uri, out var problem))
        {
            return uri;
        }

        errors.Add(At(item.Value!.Span.Start, problem, example));
        return null;
    }
}
