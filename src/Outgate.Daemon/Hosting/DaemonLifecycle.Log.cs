using Microsoft.Extensions.Logging;

namespace Outgate.Daemon.Hosting;

public sealed partial class DaemonLifecycle
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "outgated {Version} started: mode {Mode}, network namespace {Netns}")]
    private static partial void LogStarted(ILogger logger, string version, string mode, string netns);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "outgated stopping")]
    private static partial void LogStopping(ILogger logger);
}
