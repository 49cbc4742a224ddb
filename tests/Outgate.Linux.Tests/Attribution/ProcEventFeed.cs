using Outgate.Linux.Attribution;
using Outgate.Linux.ProcConnector;

namespace Outgate.Linux.Tests.Attribution;

/// <summary>
/// Feeds proc connector events (host namespace: receive-only) into an attributor on its own
/// thread, as the daemon's connector service does. Bounded: stops on dispose or after 60 s.
/// </summary>
internal sealed class ProcEventFeed : IDisposable
{
    private readonly ProcConnectorListener _listener = ProcConnectorListener.Open(receiveTimeout: TimeSpan.FromMilliseconds(50));
    private readonly Thread _thread;
    private volatile bool _stop;

    public ProcEventFeed(ProcessAttributor attributor)
    {
        _thread = new Thread(() =>
        {
            var deadline = Environment.TickCount64 + 60_000;
            while (!_stop && Environment.TickCount64 < deadline)
                _listener.Receive(static (in ProcEvent e, ProcessAttributor a) => a.Observe(e), attributor, maxEvents: 256);
        }) { IsBackground = true, Name = "proc events" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(5));
        _listener.Dispose();
    }
}
