using System.Collections.Concurrent;
using System.Globalization;
using Outgate.Daemon.Events;
using Outgate.Daemon.Policy;
using Outgate.Policy;

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>
/// beaconing: one program refused again and again on the way to one destination and port (<c>attempts</c> refusals within
/// <c>window</c>): malware calling home on a schedule, or a program someone forgot to allow. Counts fixed windows per
/// (program, destination, port); at most <see cref="MaxKeys"/> keys, then the counts start over.
/// </summary>
public sealed class BeaconingDetector(AlertRaiser alerts, LivePolicy policy, TimeProvider time)
{
    public const string Id = "beaconing";
    public const int MaxKeys = 16_384;

    private readonly ConcurrentDictionary<(string? Exe, UInt128 Destination, ushort Port, byte Protocol), Window> _windows = new();

    /// <summary>Counts one refused connection; raises the alert when the count reaches the threshold.</summary>
    public void Refused(ProcessFacts process, UInt128 destination, ushort port, byte protocol, in ConnectionFacts connection)
    {
        var settings = policy.Current.Policy.Alerts.Beaconing;
        if (!settings.Enabled) return;
        var now = time.GetUtcNow();
        var key = (process.ExecutablePath, destination, port, protocol);
        if (!_windows.TryGetValue(key, out var window))
        {
            if (_windows.Count >= MaxKeys) _windows.Clear();
            window = _windows.GetOrAdd(key, static (_, now) => new Window(now), now);
        }
        int count;
        lock (window)
        {
            if (now - window.Start > settings.Window)
            {
                window.Start = now;
                window.Count = 0;
            }
            count = ++window.Count;
        }
        if (count != settings.Attempts) return;
        alerts.Raise(Id, $"{process.ExecutablePath}|{connection.Dst}|{port}", AlertEvent.For(EventSeverity.Warning,
            $"{process.ExecutablePath ?? "an unknown program"} was refused {count} times connecting to {connection.Dst}:{port} within {(int)settings.Window.TotalSeconds}s: it keeps trying (beaconing?)",
            $"attempts={count}; window={((int)settings.Window.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s; destination={connection.Dst}; port={port}",
            process, connection));
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start = start;
        public int Count;
    }
}
