using Outgate.Daemon.Events;
using Outgate.Policy;

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>Builds the <see cref="DaemonEvent"/> a detector hands to <see cref="AlertRaiser"/>: process facts, 5-tuple, evidence.</summary>
public static class AlertEvent
{
    public static DaemonEvent For(EventSeverity severity, string message, string details, ProcessFacts? process = null, in ConnectionFacts connection = default) =>
        new(default, EventType.Alert, process)
        {
            Severity = severity,
            Message = message,
            Details = details,
            Proto = connection.Proto,
            Src = connection.Src,
            SrcPort = connection.Src is null ? null : connection.SrcPort,
            Dst = connection.Dst,
            DstPort = connection.Dst is null ? null : connection.DstPort,
            Domain = connection.Domain,
            Verdict = connection.Verdict,
            Tags = connection.Tags,
        };

    /// <summary>Escapes what would break the <c>key=value; key=value</c> form of <see cref="DaemonEvent.Details"/>.</summary>
    public static string Value(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text.AsSpan().IndexOfAny(";\n\r") < 0 && text.Length <= 512) return text;
        var clean = text.Replace(';', ',').Replace('\n', ' ').Replace('\r', ' ');
        return clean.Length <= 512 ? clean : clean[..512] + "…";
    }
}

/// <summary>The connection an alert is about, as the event's columns want it (all optional).</summary>
public readonly record struct ConnectionFacts(
    string? Proto, string? Src, int SrcPort, string? Dst, int DstPort, string? Domain = null, string? Verdict = null, string? Tags = null);
