using Microsoft.Extensions.Logging;

namespace Outgate.Daemon.Events;

public sealed partial class EventHealthService
{
    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Event log incomplete: {Dropped} events dropped (queue of {Capacity} full) and {Failed} failed since the last check")]
    private static partial void LogEventsLost(ILogger logger, long dropped, long failed, int capacity);
}
