using System.Collections.Concurrent;

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>
/// A cheap look-ahead of <see cref="AlertRaiser"/>'s flood control for detectors that match on every connection of a
/// program (connect-back on cached decisions, raw-ip): within the dedup window a repeat is dropped here, before its
/// message, details and event are built. Keys are the parts as they are (no string concatenation per connection).
/// The raiser still decides; this only saves the work for repeats it would suppress anyway.
/// </summary>
public sealed class AlertGate
{
    public const int MaxKeys = 50_000;

    private readonly ConcurrentDictionary<(string Detector, string? Exe, string? Destination, int Port), DateTimeOffset> _last = new();

    /// <summary>True when the alert should be built and raised: the first in <paramref name="window"/> for its key.</summary>
    public bool Pass(string detector, string? exe, string? destination, int port, DateTimeOffset now, TimeSpan window)
    {
        if (window <= TimeSpan.Zero) return true;
        var key = (detector, exe, destination, port);
        if (_last.TryGetValue(key, out var last) && now - last < window) return false;
        if (_last.Count >= MaxKeys) _last.Clear();
        _last[key] = now;
        return true;
    }
}
