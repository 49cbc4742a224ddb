using System.Collections.Concurrent;
using Outgate.Daemon.Events;
using Outgate.Daemon.Policy;

namespace Outgate.Daemon.Alerts;

/// <summary>
/// The one way a detector raises an alert: flood control (one alert per detector + key per <c>[alerts] dedup</c>
/// window), counting per detector (metrics, status) and the event itself (type alert, <see cref="DaemonEvent.Rule"/> =
/// the detector id, evidence in <see cref="DaemonEvent.Details"/>). Never blocks: the event goes to the bounded sink.
/// Whether a detector is enabled is the detector's business (it knows its own settings); this class only gates repeats.
/// </summary>
public sealed class AlertRaiser(EventSink events, LivePolicy policy, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Detector, string Key), DateTimeOffset> _last = new();
    private readonly ConcurrentDictionary<string, Counter> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Detector, string? Exe, string? Destination, int Port), DateTimeOffset> _lastByParts = new();

    /// <summary>Bound on remembered keys; past it the window memory is cleared (a repeat may then alert once more).</summary>
    private const int MaxKeys = 50_000;

    /// <summary>
    /// Records <paramref name="alert"/> unless the same <paramref name="detector"/> + <paramref name="key"/> alerted within
    /// the dedup window. <paramref name="alert"/> carries the process and connection facts; this sets Type, Rule and Time
    /// (when unset). Returns true when the alert was recorded; false when it was a repeat within the window or the event
    /// channel was full (then the window does not start).
    /// </summary>
    /// <param name="detector">Stable detector id: connect-back, new-app, hash-changed, exfiltration, dns-tunnel, blocklist,
    /// raw-ip, dns-port, beaconing, tamper-guard, health, encrypted-dns.</param>
    /// <param name="key">What makes two alerts "the same", usually program + destination.</param>
    public bool Raise(string detector, string key, DaemonEvent alert)
    {
        var now = time.GetUtcNow();
        var window = policy.Current.Policy.Alerts.Dedup;
        var counter = _counts.GetOrAdd(detector, static _ => new Counter());
        if (window > TimeSpan.Zero)
        {
            if (_last.TryGetValue((detector, key), out var last) && now - last < window)
            {
                Interlocked.Increment(ref counter.Suppressed);
                return false;
            }
            if (_last.Count >= MaxKeys) _last.Clear();
            _last[(detector, key)] = now;
        }
        var written = events.TryWrite(alert with
        {
            Type = EventType.Alert,
            Rule = detector,
            Time = alert.Time == default ? now : alert.Time,
        });
        if (!written)
        {
            // Lost to a full event channel (counted there): the next occurrence must be able to alert, not wait out the window.
            _last.TryRemove((detector, key), out _);
            Interlocked.Increment(ref counter.Dropped);
            return false;
        }
        Interlocked.Increment(ref counter.Raised);
        return true;
    }

    /// <summary>
    /// A cheap look-ahead of the flood control for detectors that match on every connection of a program (connect-back on
    /// cached decisions, raw-ip): false for a repeat within the dedup window, counted as suppressed, before its message,
    /// details and event are built. Keys are the parts as they are, so a repeat allocates nothing. True means "build the
    /// alert and <see cref="Raise"/> it", which still decides.
    /// </summary>
    public bool IsDue(string detector, string? exe, string? destination, int port)
    {
        var window = policy.Current.Policy.Alerts.Dedup;
        if (window <= TimeSpan.Zero) return true;
        var now = time.GetUtcNow();
        var key = (detector, exe, destination, port);
        if (_lastByParts.TryGetValue(key, out var last) && now - last < window)
        {
            Interlocked.Increment(ref _counts.GetOrAdd(detector, static _ => new Counter()).Suppressed);
            return false;
        }
        if (_lastByParts.Count >= MaxKeys) _lastByParts.Clear();
        _lastByParts[key] = now;
        return true;
    }

    /// <summary>Alerts raised and suppressed by flood control, per detector id.</summary>
    public IReadOnlyDictionary<string, (long Raised, long Suppressed)> Counts =>
        _counts.ToDictionary(kv => kv.Key, kv => (Interlocked.Read(ref kv.Value.Raised), Interlocked.Read(ref kv.Value.Suppressed)), StringComparer.Ordinal);

    private sealed class Counter
    {
        public long Raised;
        public long Suppressed;
        public long Dropped;
    }
}
