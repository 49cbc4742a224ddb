using System.Globalization;
using System.Text;
using Outgate.Daemon.Events;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>
/// An alert as one RFC 5424 syslog message:
/// <code>&lt;PRI&gt;1 TIMESTAMP HOSTNAME outgated PROCID MSGID [outgate@32473 id="..." detector="..." exe="..." ...] BOM MSG</code>
/// Facility is local0 (16): alerts are not authentication records (auth/authpriv would mix them into login audits and
/// often into files only root reads on the collector), and local0 is the facility collectors conventionally hand to a
/// site's own applications, so one selector (<c>local0.*</c>) or the APP-NAME routes them. The syslog severity is the
/// event's (critical 2, error 3, warning 4, notice 5, info 6, debug 7). MSGID is the detector id. 32473 is the private
/// enterprise number RFC 5612 reserves for documentation: Outgate has no IANA number of its own.
/// </summary>
public static class SyslogFormatter
{
    public const int Facility = 16;

    public const string AppName = "outgated";

    public const string SdId = "outgate@32473";

    /// <summary>
    /// Upper bound of one message in bytes. RFC 5424 receivers must take 480 and should take 2048; rsyslog and syslog-ng
    /// take 8192 by default. A longer message loses the end of its MSG (never the header or structured data).
    /// </summary>
    public const int MaxMessageBytes = 8192;

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>The PRI value: facility × 8 + syslog severity.</summary>
    public static int Priority(EventSeverity severity) => Facility * 8 + SyslogSeverity(severity);

    /// <summary>RFC 5424 severity codes: 0 emergency ... 7 debug.</summary>
    public static int SyslogSeverity(EventSeverity severity) => severity switch
    {
        EventSeverity.Critical => 2,
        EventSeverity.Error => 3,
        EventSeverity.Warning => 4,
        EventSeverity.Notice => 5,
        EventSeverity.Info => 6,
        _ => 7,
    };

    /// <summary>One message (no framing): what goes into a UDP datagram.</summary>
    public static byte[] Format(DaemonEvent alert, string hostName, int processId)
    {
        var header = new StringBuilder(256);
        header.Append('<').Append(Priority(alert.Severity).ToString(CultureInfo.InvariantCulture)).Append(">1 ")
            .Append(alert.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)).Append(' ')
            .Append(HeaderField(hostName, 255)).Append(' ')
            .Append(AppName).Append(' ')
            .Append(processId.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(HeaderField(alert.Rule, 32)).Append(' ');
        AppendStructuredData(header, alert);
        var message = alert.Message ?? "";
        if (message.Length == 0) return Encoding.UTF8.GetBytes(header.ToString()); // no MSG: the message ends after the structured data
        var head = Encoding.UTF8.GetBytes(header.Append(' ').ToString());
        var room = MaxMessageBytes - head.Length - Bom.Length;
        var body = Encoding.UTF8.GetBytes(message);
        if (body.Length > room) body = body[..Utf8Prefix(body, Math.Max(room, 0))];
        var result = new byte[head.Length + Bom.Length + body.Length];
        head.CopyTo(result, 0);
        Bom.CopyTo(result, head.Length);
        body.CopyTo(result, head.Length + Bom.Length);
        return result;
    }

    /// <summary>RFC 6587 octet-counting framing for TCP: <c>LENGTH SP MESSAGE</c>.</summary>
    public static byte[] Frame(byte[] message)
    {
        var prefix = Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " ");
        var framed = new byte[prefix.Length + message.Length];
        prefix.CopyTo(framed, 0);
        message.CopyTo(framed, prefix.Length);
        return framed;
    }

    private static void AppendStructuredData(StringBuilder b, DaemonEvent e)
    {
        b.Append('[').Append(SdId);
        Param(b, "id", e.Id > 0 ? e.Id.ToString(CultureInfo.InvariantCulture) : null);
        Param(b, "detector", e.Rule);
        Param(b, "exe", e.Exe);
        Param(b, "pid", e.Pid?.ToString(CultureInfo.InvariantCulture));
        Param(b, "user", e.User ?? e.Uid?.ToString(CultureInfo.InvariantCulture));
        Param(b, "dst", e.Dst);
        Param(b, "dport", e.DstPort?.ToString(CultureInfo.InvariantCulture));
        Param(b, "domain", e.Domain);
        Param(b, "verdict", e.Verdict);
        Param(b, "details", e.Details);
        b.Append(']');
    }

    /// <summary>PARAM-VALUE escaping (RFC 5424 6.3.3): '"', '\' and ']' get a backslash; the value is UTF-8.</summary>
    private static void Param(StringBuilder b, string name, string? value)
    {
        if (value is null) return;
        b.Append(' ').Append(name).Append("=\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\' or ']') b.Append('\\');
            b.Append(c);
        }
        b.Append('"');
    }

    /// <summary>A header field: PRINTUSASCII (33-126) only, at most <paramref name="max"/> characters, "-" (NILVALUE) when empty.</summary>
    private static string HeaderField(string? value, int max)
    {
        if (string.IsNullOrEmpty(value)) return "-";
        var b = new StringBuilder(Math.Min(value.Length, max));
        foreach (var c in value)
        {
            if (b.Length == max) break;
            b.Append(c is >= '!' and <= '~' ? c : '_');
        }
        return b.ToString();
    }

    /// <summary>The longest prefix of at most <paramref name="max"/> bytes that does not cut a UTF-8 sequence.</summary>
    private static int Utf8Prefix(byte[] bytes, int max)
    {
        var end = max;
        while (end > 0 && end < bytes.Length && (bytes[end] & 0xC0) == 0x80) end--;
        return end;
    }
}
