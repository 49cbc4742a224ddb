using Microsoft.Extensions.Logging;

namespace Outgate.Daemon.Events;

public sealed partial class EventWriterService
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Could not write {Count} events to {Path}: {Reason}; they are counted as failed")]
    private static partial void LogBatchFailed(ILogger logger, int count, string path, string reason, Exception ex);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Event writer stopped: {Written} written, {Dropped} dropped under overload, {Failed} failed")]
    private static partial void LogStopped(ILogger logger, long written, long dropped, long failed);
}
