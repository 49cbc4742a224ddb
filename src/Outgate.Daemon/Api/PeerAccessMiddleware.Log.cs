using Microsoft.Extensions.Logging;

namespace Outgate.Daemon.Api;

public sealed partial class PeerAccessMiddleware
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Denied API access to pid {Pid} uid {Uid}: {Method} {Path}")]
    private static partial void LogDenied(ILogger logger, int pid, uint uid, string method, string path);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Denied connection {ConnectionId}: no peer credentials")]
    private static partial void LogNoCredentials(ILogger logger, string connectionId);
}
