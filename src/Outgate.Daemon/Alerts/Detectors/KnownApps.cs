using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>
/// Executables that connected out, by path, with their last hash: the memory of the new-app and hash-changed detectors.
/// Loaded from events.db at start (<see cref="KnownAppsStore"/>); a change is queued on a bounded channel that the store
/// writes off the queue threads (a full channel loses the row, not the verdict: the app is still known until restart).
/// The known path costs one dictionary lookup and a string compare, no allocation.
/// </summary>
public sealed class KnownApps
{
    /// <summary>Paths remembered; past it new paths are neither remembered nor reported (a flood of random paths must not grow memory).</summary>
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, string> _apps = new(StringComparer.Ordinal);
    private readonly Channel<KnownApp> _writes = Channel.CreateBounded<KnownApp>(new BoundedChannelOptions(1024)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public int Count => _apps.Count;

    /// <summary>Rows waiting for <see cref="KnownAppsStore"/>.</summary>
    public ChannelReader<KnownApp> Writes => _writes.Reader;

    /// <summary>True once the stored apps were loaded: before that every app would look new.</summary>
    public bool IsLoaded { get; private set; }

    public void Load(IEnumerable<KnownApp> apps)
    {
        foreach (var app in apps) _apps[app.Path] = app.Sha256 ?? "";
        IsLoaded = true;
    }

    /// <summary>
    /// Records that <paramref name="path"/> (with <paramref name="sha256"/>, when known) connected out.
    /// <paramref name="previous"/> is the hash before a change.
    /// </summary>
    public AppNovelty Observe(string path, string? sha256, DateTimeOffset now, out string? previous)
    {
        previous = null;
        if (_apps.TryGetValue(path, out var known))
        {
            if (sha256 is null || string.Equals(known, sha256, StringComparison.Ordinal)) return AppNovelty.Known;
            if (!_apps.TryUpdate(path, sha256, known)) return AppNovelty.Known; // another thread reported it
            _writes.Writer.TryWrite(new KnownApp(path, sha256, now, now));
            if (known.Length == 0) return AppNovelty.Known; // the hash was not known before: learned, not changed
            previous = known;
            return AppNovelty.HashChanged;
        }
        if (_apps.Count >= Capacity || !_apps.TryAdd(path, sha256 ?? "")) return AppNovelty.Known;
        _writes.Writer.TryWrite(new KnownApp(path, sha256, now, now));
        return AppNovelty.New;
    }
}
