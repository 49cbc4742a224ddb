using Microsoft.Extensions.Logging;

namespace Outgate.Daemon.Alerts.Sinks;

public sealed partial class SinkQueue
{
    [LoggerMessage(EventId = 7301, Level = LogLevel.Warning, Message = "Alert sink {Sink} could not deliver alert {AlertId}; retrying in {BackoffSeconds} s: {Error} ({Failures} failed attempts so far)")]
    private partial void LogSendFailed(string sink, long alertId, double backoffSeconds, string error, long failures);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Warning, Message = "Alert sink queue full: dropped alert {AlertId} ({Dropped} dropped so far); the sink is slower than the alerts")]
    private partial void LogDroppedCore(long dropped, long alertId);

    /// <summary>Logs the 1st, 2nd, 4th, 8th... drop: a flood must not turn into a flood of log lines.</summary>
    private void LogDropped(long dropped, long alertId)
    {
        if ((dropped & (dropped - 1)) == 0) LogDroppedCore(dropped, alertId);
    }
}
