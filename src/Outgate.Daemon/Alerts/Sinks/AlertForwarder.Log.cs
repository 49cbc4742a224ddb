using Microsoft.Extensions.Logging;

namespace Outgate.Daemon.Alerts.Sinks;

public sealed partial class AlertForwarder
{
    [LoggerMessage(EventId = 7303, Level = LogLevel.Warning, Message = "Alert forwarder cannot read {Path}: {Error}; retrying")]
    private partial void LogReadFailed(string path, string error);
}
