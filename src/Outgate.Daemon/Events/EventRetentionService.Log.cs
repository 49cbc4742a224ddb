using Microsoft.Extensions.Logging;

namespace Outgate.Daemon.Events;

public sealed partial class EventRetentionService
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Retention pruned {Count} events (max {MaxRows} rows, max age {MaxAge})")]
    private static partial void LogPruned(ILogger logger, long count, long maxRows, TimeSpan maxAge);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Retention could not prune {Path}: {Reason}; will retry")]
    private static partial void LogPruneFailed(ILogger logger, string path, string reason, Exception ex);
}
