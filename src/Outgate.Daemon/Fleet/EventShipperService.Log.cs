using Microsoft.Extensions.Logging;

namespace Outgate.Daemon.Fleet;

public sealed partial class EventShipperService
{
    [LoggerMessage(EventId = 1901, Level = LogLevel.Error, Message = "Fleet shipping is off: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Information, Message = "Fleet database {Target}: shipping as host {HostId} from event {Cursor} ({Lag} behind)")]
    private static partial void LogConnected(ILogger logger, string target, Guid hostId, long cursor, long lag);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Warning, Message = "Fleet database {Target}: {Reason}; events stay in events.db, retrying in {Seconds:0.0} s")]
    private static partial void LogShipFailed(ILogger logger, string target, string reason, double seconds, Exception? ex);

    [LoggerMessage(EventId = 1904, Level = LogLevel.Warning, Message = "The fleet database has this host up to event {Cursor} but events.db only reaches {Local}: events.db was replaced, shipping it from the start")]
    private static partial void LogStoreReset(ILogger logger, long cursor, long local);
}
