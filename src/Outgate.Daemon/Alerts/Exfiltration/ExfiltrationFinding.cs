using Outgate.Daemon.Events;

namespace Outgate.Daemon.Alerts.Exfiltration;

/// <summary>Why an upload is an exfiltration alert: the bytes in the window, the bar it crossed and whether the destination was new.</summary>
public sealed record ExfiltrationFinding(long BytesOut, TimeSpan Window, long Threshold, bool FirstSeenDestination, EventSeverity Severity)
{
    /// <summary>The evidence, as <c>key=value; key=value</c> for <see cref="DaemonEvent.Details"/>.</summary>
    public string Details => FormattableString.Invariant(
        $"bytes_out={BytesOut}; window={(long)Window.TotalSeconds}s; threshold={Threshold}; first_seen_destination={(FirstSeenDestination ? "yes" : "no")}");
}
