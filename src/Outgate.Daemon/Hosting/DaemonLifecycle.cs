using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;
using Outgate.Daemon.Unix;

namespace Outgate.Daemon.Hosting;

/// <summary>
/// Start and stop bookkeeping: once the API is bound, the socket gets its permissions and a
/// "started" event is recorded; on stop a "stopping" event is recorded (the writer drains it before
/// it ends) and the socket file is removed.
/// </summary>
public sealed partial class DaemonLifecycle(
    IHostApplicationLifetime lifetime, UnixSocketFile socket, EventSink events, ModeState mode,
    TargetNamespace target, TimeProvider time, ILogger<DaemonLifecycle> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            socket.ApplyPermissions();
            Record(EventSeverity.Info, $"outgated {DaemonInfo.Version} started (pid {Environment.ProcessId}, mode {mode.Current.ToName()}, netns {target.DisplayName})");
            LogStarted(logger, DaemonInfo.Version, mode.Current.ToName(), target.DisplayName);
        });
        lifetime.ApplicationStopping.Register(() =>
        {
            Record(EventSeverity.Info, $"outgated stopping (pid {Environment.ProcessId})");
            LogStopping(logger);
        });
        lifetime.ApplicationStopped.Register(socket.Remove);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Record(EventSeverity severity, string message) =>
        events.TryWrite(new DaemonEvent { Time = time.GetUtcNow(), Type = EventType.Daemon, Severity = severity, Message = message, Pid = Environment.ProcessId });
}
