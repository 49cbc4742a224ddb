using System.Text;
using Outgate.Daemon.Events;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>What a desktop notification of an alert says: org.freedesktop.Notifications.Notify's summary, body, icon and urgency.</summary>
public sealed record DesktopNotification(string Summary, string Body, string Icon, byte Urgency)
{
    /// <summary>Notification servers show a few lines; longer text is cut (on a character boundary).</summary>
    public const int MaxBodyChars = 1000;

    public static DesktopNotification For(DaemonEvent alert)
    {
        var summary = $"Outgate alert: {alert.Rule ?? "alert"} ({alert.Severity.ToString().ToLowerInvariant()})";
        var body = new StringBuilder(alert.Message ?? "(no message)");
        var who = alert.Exe ?? (alert.Pid is { } pid ? $"pid {pid}" : null);
        var where = alert.Dst is null ? null : alert.DstPort is { } port ? $"{alert.Domain ?? alert.Dst}:{port}" : alert.Domain ?? alert.Dst;
        if (who is not null || where is not null) body.Append('\n').Append(who ?? "?").Append(" → ").Append(where ?? "?");
        var text = body.Length > MaxBodyChars ? Cut(body.ToString()) : body.ToString();
        return new DesktopNotification(summary, text, alert.Severity >= EventSeverity.Error ? "dialog-error" : "dialog-warning", UrgencyOf(alert.Severity));
    }

    /// <summary>The notification spec's urgency hint: 0 low, 1 normal, 2 critical (critical ones stay until dismissed).</summary>
    public static byte UrgencyOf(EventSeverity severity) => severity switch
    {
        EventSeverity.Critical or EventSeverity.Error => 2,
        EventSeverity.Warning or EventSeverity.Notice => 1,
        _ => 0,
    };

    private static string Cut(string text)
    {
        var end = MaxBodyChars - 1;
        if (char.IsHighSurrogate(text[end - 1])) end--;
        return string.Concat(text.AsSpan(0, end), "…");
    }
}
