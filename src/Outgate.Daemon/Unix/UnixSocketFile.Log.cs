using Microsoft.Extensions.Logging;

namespace Outgate.Daemon.Unix;

public sealed partial class UnixSocketFile
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Removed a stale API socket {Path} (nothing was listening: the previous daemon did not stop cleanly)")]
    private static partial void LogStaleSocketRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "API listening on unix socket {Path} ({Permissions})")]
    private static partial void LogSocketReady(ILogger logger, string path, string permissions);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Could not give {Path} to group {Group} (errno {Errno}); only the daemon's user can connect")]
    private static partial void LogChownFailed(ILogger logger, string path, string group, int errno);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "Could not set permissions on {Path}: {Reason}")]
    private static partial void LogPermissionsFailed(ILogger logger, string path, string reason);
}
