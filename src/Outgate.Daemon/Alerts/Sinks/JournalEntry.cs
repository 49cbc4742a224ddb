using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Outgate.Daemon.Events;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>
/// An alert as one datagram of journald's native protocol (systemd <c>sd_journal_sendv</c>): a sequence of fields,
/// each either <c>NAME=value\n</c> or, when the value contains a newline, <c>NAME\n</c> + the value's length as a 64-bit
/// little-endian integer + the value + <c>\n</c>. For example a two-line MESSAGE "a\nb" is
/// <c>MESSAGE\n 03 00 00 00 00 00 00 00 a\nb\n</c>. Field names are upper-case letters, digits and '_' and do not
/// start with '_' (those are set by journald itself).
/// </summary>
public static class JournalEntry
{
    /// <summary>Longest value kept per field (bytes of UTF-8). Alerts are small; this keeps every datagram well under
    /// the AF_UNIX datagram limit (~212 KB with default buffers), so the memfd fallback of sd_journal_sendv is never needed.</summary>
    public const int MaxValueBytes = 4096;

    /// <summary>Identifies Outgate alerts in the journal (<c>journalctl MESSAGE_ID=...</c>), like systemd's catalog ids.</summary>
    public const string MessageId = "6f7574676174653a616c657274000001";

    /// <summary>The fields of <paramref name="alert"/> in journal order; null values are left out.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Fields(DaemonEvent alert)
    {
        var detector = alert.Rule ?? "alert";
        var fields = new List<KeyValuePair<string, string>>
        {
            new("MESSAGE", $"outgate alert [{detector}] {alert.Message ?? "(no message)"}"),
            new("MESSAGE_ID", MessageId),
            new("PRIORITY", Priority(alert.Severity).ToString(CultureInfo.InvariantCulture)),
            new("SYSLOG_IDENTIFIER", "outgated"),
            new("OUTGATE_DETECTOR", detector),
            new("OUTGATE_SEVERITY", alert.Severity.ToString().ToLowerInvariant()),
        };
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) fields.Add(new(name, value));
        }
        void AddNumber(string name, long? value)
        {
            if (value is { } v) fields.Add(new(name, v.ToString(CultureInfo.InvariantCulture)));
        }
        AddNumber("OUTGATE_EVENT_ID", alert.Id > 0 ? alert.Id : null);
        Add("OUTGATE_TIME", alert.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        Add("OUTGATE_EXE", alert.Exe);
        AddNumber("OUTGATE_PID", alert.Pid);
        AddNumber("OUTGATE_UID", alert.Uid);
        Add("OUTGATE_USER", alert.User);
        Add("OUTGATE_UNIT", alert.Unit);
        Add("OUTGATE_CONTAINER", alert.Container);
        Add("OUTGATE_PROTO", alert.Proto);
        Add("OUTGATE_SRC", alert.Src);
        AddNumber("OUTGATE_SRC_PORT", alert.SrcPort);
        Add("OUTGATE_DST", alert.Dst);
        AddNumber("OUTGATE_DST_PORT", alert.DstPort);
        Add("OUTGATE_DOMAIN", alert.Domain);
        Add("OUTGATE_VERDICT", alert.Verdict);
        Add("OUTGATE_TAGS", alert.Tags);
        AddNumber("OUTGATE_BYTES_OUT", alert.BytesOut);
        AddNumber("OUTGATE_BYTES_IN", alert.BytesIn);
        Add("OUTGATE_DETAILS", alert.Details);
        return fields;
    }

    /// <summary>The datagram for <paramref name="alert"/>.</summary>
    public static byte[] Serialize(DaemonEvent alert) => Serialize(Fields(alert));

    public static byte[] Serialize(IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var buffer = new MemoryStream();
        Span<byte> length = stackalloc byte[8];
        foreach (var (name, value) in fields)
        {
            var bytes = Truncate(value);
            buffer.Write(Encoding.ASCII.GetBytes(name));
            if (bytes.AsSpan().IndexOf((byte)'\n') < 0)
            {
                buffer.WriteByte((byte)'=');
                buffer.Write(bytes);
            }
            else
            {
                buffer.WriteByte((byte)'\n');
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)bytes.Length);
                buffer.Write(length);
                buffer.Write(bytes);
            }
            buffer.WriteByte((byte)'\n');
        }
        return buffer.ToArray();
    }

    /// <summary>syslog priority of a severity (journald's PRIORITY): critical 2, error 3, warning 4, notice 5, info 6, debug 7.</summary>
    public static int Priority(EventSeverity severity) => severity switch
    {
        EventSeverity.Critical => 2,
        EventSeverity.Error => 3,
        EventSeverity.Warning => 4,
        EventSeverity.Notice => 5,
        EventSeverity.Info => 6,
        _ => 7,
    };

    /// <summary>UTF-8 of <paramref name="value"/>, cut at <see cref="MaxValueBytes"/> on a character boundary (never inside a
    /// multi-byte sequence), NUL bytes replaced (journald would keep them, but they break every text tool).</summary>
    public static byte[] Truncate(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value.Replace('\0', '\uFFFD'));
        if (bytes.Length <= MaxValueBytes) return bytes;
        var cut = MaxValueBytes;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) cut--; // bytes[cut] is a continuation byte: back up to the lead byte
        return bytes[..cut];
    }
}
