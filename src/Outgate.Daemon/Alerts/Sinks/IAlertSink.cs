using Outgate.Daemon.Events;
using Outgate.Policy;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>
/// Somewhere alerts are sent after they are committed to events.db (syslog, webhook, journal, desktop). The forwarder
/// calls each sink from its own loop, in id order, with alerts at or above <see cref="AlertSettings.MinSeverity"/>;
/// a slow or failing sink delays only itself.
/// </summary>
public interface IAlertSink
{
    /// <summary>Short name for status and logs: "syslog", "webhook", "journal", "desktop".</summary>
    string Name { get; }

    /// <summary>True when the current settings ask for this sink (and, for journal/desktop, the service exists).</summary>
    bool IsEnabled(AlertSettings settings);

    /// <summary>Delivers one alert; throws on failure (the forwarder counts, logs and retries with backoff).</summary>
    Task SendAsync(DaemonEvent alert, AlertSettings settings, CancellationToken cancellationToken);
}
