namespace Outgate.Policy;

/// <summary>
/// <see cref="AlertSettings"/> as the <c>[alerts]</c> tables of outgate.toml, every key written, so that reading the text back
/// gives equal settings (the property tests hold the reader to that).
/// </summary>
internal static class AlertTomlWriter
{
    public static string Write(AlertSettings a)
    {
        var b = new StringBuilder();
        Table(b, "");
        Key(b, TomlSchema.Dedup, Str(AlertDurationSyntax.Format(a.Dedup)));
        Key(b, TomlSchema.MinSeverity, Str(a.MinSeverity));
        Table(b, TomlSchema.ConnectBack);
        Key(b, TomlSchema.Enabled, Bool(a.ConnectBack.Enabled));
        Key(b, TomlSchema.ExtraTools, Array(a.ConnectBack.ExtraTools));
        Key(b, TomlSchema.Block, Bool(a.ConnectBack.Block));
        Switch(b, TomlSchema.NewApp, a.NewApp);
        Table(b, TomlSchema.Exfiltration);
        Key(b, TomlSchema.Enabled, Bool(a.Exfiltration.Enabled));
        Key(b, TomlSchema.Threshold, Str(ByteSizeSyntax.Format(a.Exfiltration.ThresholdBytes)));
        Key(b, TomlSchema.NewDestination, Str(ByteSizeSyntax.Format(a.Exfiltration.NewDestinationBytes)));
        Key(b, TomlSchema.Window, Str(AlertDurationSyntax.Format(a.Exfiltration.Window)));
        Table(b, TomlSchema.DnsTunnel);
        Key(b, TomlSchema.Enabled, Bool(a.DnsTunnel.Enabled));
        Key(b, TomlSchema.MaxLabel, a.DnsTunnel.MaxLabelLength.ToString(CultureInfo.InvariantCulture));
        Key(b, TomlSchema.MaxEntropy, a.DnsTunnel.MaxEntropy.ToString("R", CultureInfo.InvariantCulture) is var e && (e.Contains('.') || e.Contains('E')) ? e : e + ".0");
        Key(b, TomlSchema.UniqueSubdomains, a.DnsTunnel.UniqueSubdomains.ToString(CultureInfo.InvariantCulture));
        Key(b, TomlSchema.TxtQueries, a.DnsTunnel.TxtQueries.ToString(CultureInfo.InvariantCulture));
        Key(b, TomlSchema.Window, Str(AlertDurationSyntax.Format(a.DnsTunnel.Window)));
        Table(b, TomlSchema.Blocklist);
        Key(b, TomlSchema.Enabled, Bool(a.Blocklist.Enabled));
        Key(b, TomlSchema.Lists, Array(a.Blocklist.Lists));
        Switch(b, TomlSchema.RawIp, a.RawIp);
        Switch(b, TomlSchema.DnsPort, a.DnsPort);
        Table(b, TomlSchema.Beaconing);
        Key(b, TomlSchema.Enabled, Bool(a.Beaconing.Enabled));
        Key(b, TomlSchema.Attempts, a.Beaconing.Attempts.ToString(CultureInfo.InvariantCulture));
        Key(b, TomlSchema.Window, Str(AlertDurationSyntax.Format(a.Beaconing.Window)));
        if (a.Sinks.Syslog is { } syslog)
        {
            Table(b, TomlSchema.Syslog);
            Key(b, TomlSchema.Target, Str(syslog.OriginalString));
        }

        if (a.Sinks.Webhook is { } webhook)
        {
            Table(b, TomlSchema.Webhook);
            Key(b, TomlSchema.Url, Str(webhook.OriginalString));
        }

        Switch(b, TomlSchema.Journal, new DetectorSwitch { Enabled = a.Sinks.Journal });
        Switch(b, TomlSchema.Desktop, new DetectorSwitch { Enabled = a.Sinks.Desktop });
        return b.ToString();
    }

    private static void Switch(StringBuilder b, string name, DetectorSwitch s)
    {
        Table(b, name);
        Key(b, TomlSchema.Enabled, Bool(s.Enabled));
    }

    private static void Table(StringBuilder b, string name) =>
        b.Append(b.Length == 0 ? "" : "\n").Append('[').Append(TomlSchema.AlertsTable).Append(name.Length == 0 ? "" : "." + name).Append("]\n");

    private static void Key(StringBuilder b, string key, string value) => b.Append(key).Append(" = ").Append(value).Append('\n');

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Array(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Str)) + "]";

    /// <summary>A TOML basic string: backslash, quote and control characters escaped.</summary>
    private static string Str(string value)
    {
        var b = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => b.Append("\\\""),
                '\\' => b.Append("\\\\"),
                _ when char.IsControl(c) => b.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => b.Append(c),
            };
        }

        return b.Append('"').ToString();
    }
}
