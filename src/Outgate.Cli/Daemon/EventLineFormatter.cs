using System.Globalization;
using System.Text;

namespace Outgate.Cli.Daemon;

/// <summary>
/// One line per event for people:
/// <c>2026-11-25 19:49:30  notice   mode-change  mode switched from learn to enforce  pid=308 exe=/usr/bin/curl user=root</c>.
/// Control characters in fields are escaped so a hostile process name cannot rewrite the terminal.
/// </summary>
public static class EventLineFormatter
{
    public static string Format(EventRecord e)
    {
        var sb = new StringBuilder();
        sb.Append(e.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append("  ");
        sb.Append(e.Severity.PadRight(8)).Append(' ');
        sb.Append(e.Type.PadRight(12)).Append(' ');
        if (e.Message is { Length: > 0 } m) sb.Append(Clean(m));
        if (e.Verdict is { } v && e.Type != "mode-change") Field(sb, "verdict", v);
        if (e.Proto is { } p) Field(sb, "proto", p);
        if (e.Src is { } src) Field(sb, "src", Endpoint(src, e.SrcPort));
        if (e.Dst is { } dst) Field(sb, "dst", Endpoint(dst, e.DstPort));
        if (e.Domain is { } d) Field(sb, "domain", d);
        if (e.Tags is { } tags) Field(sb, "tags", tags);
        if (e.Details is { } details) Field(sb, "details", details);
        if (e.Rule is { } r) Field(sb, "rule", r);
        if (e.Pid is { } pid) Field(sb, "pid", pid.ToString(CultureInfo.InvariantCulture));
        if (e.Exe is { } exe) Field(sb, "exe", exe);
        if (e.User is { } u) Field(sb, "user", u);
        else if (e.Uid is { } uid) Field(sb, "uid", uid.ToString(CultureInfo.InvariantCulture));
        if (e.Unit is { } unit) Field(sb, "unit", unit);
        if (e.Container is { } c) Field(sb, "container", c);
        if (e.BytesOut is { } bo) Field(sb, "out", bo.ToString(CultureInfo.InvariantCulture));
        if (e.BytesIn is { } bi) Field(sb, "in", bi.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static string Endpoint(string address, int? port) =>
        port is null ? address : address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";

    private static void Field(StringBuilder sb, string name, string value) => sb.Append("  ").Append(name).Append('=').Append(Clean(value));

    private static string Clean(string value)
    {
        if (!value.Any(char.IsControl)) return value;
        var sb = new StringBuilder(value.Length + 8);
        foreach (var ch in value) sb.Append(char.IsControl(ch) ? $"\\x{(int)ch:x2}" : ch.ToString());
        return sb.ToString();
    }
}
