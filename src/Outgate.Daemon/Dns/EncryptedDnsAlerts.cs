using System.Collections.Concurrent;

namespace Outgate.Daemon.Dns;

/// <summary>
/// Flood control for the DoT/DoH alert: one alert per (program, resolver) per window, so a browser
/// that keeps its DoH connection busy raises it once, not per connection.
/// </summary>
public sealed class EncryptedDnsAlerts
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<(string?, string), DateTimeOffset> _last = new();

    public bool ShouldAlert(string? executable, string resolver, DateTimeOffset now)
    {
        var key = (executable, resolver);
        if (_last.TryGetValue(key, out var last) && now - last < Window) return false;
        if (_last.Count > 10_000) _last.Clear();
        _last[key] = now;
        return true;
    }
}
