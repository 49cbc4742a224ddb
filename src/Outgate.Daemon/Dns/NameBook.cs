using System.Collections.Concurrent;
using System.Net;

namespace Outgate.Daemon.Dns;

/// <summary>
/// Which names DNS answered each address for, each until its answer's TTL (plus the policy's grace)
/// runs out: the daemon's memory of lookups, used to label connections with a domain, to match
/// program rules about domains, to flag connections to addresses no lookup produced, and to refill
/// the kernel's domain sets after the table is replaced. Bounded: past <see cref="Capacity"/>
/// addresses the entries closest to expiry go first. Thread-safe; readers never block writers.
/// </summary>
public sealed class NameBook(TimeProvider time, int capacity = NameBook.DefaultCapacity)
{
    public const int DefaultCapacity = 262_144;

    /// <summary>
    /// How long an expired name is still kept for display (<see cref="Live"/> with a look-back): a
    /// connection made while the name was valid keeps being shown under it. Decisions never use it.
    /// </summary>
    public static readonly TimeSpan DisplayRetention = TimeSpan.FromMinutes(10);

    /// <summary>At most this many names are kept per address (CDNs put hundreds of names on one address).</summary>
    public const int MaxNamesPerAddress = 8;

    private readonly ConcurrentDictionary<IPAddress, NamedAddress> _entries = new();
    private long _pruning;
    private long _version;

    public int Capacity { get; } = capacity;

    public int Count => _entries.Count;

    /// <summary>Raised after an answer gave <see cref="IPAddress"/> names, with the address's new names version.</summary>
    public event Action<IPAddress, long>? Renamed;

    /// <summary>Records that <paramref name="names"/> (the question first, then its CNAME chain) resolved to <paramref name="address"/> until <paramref name="expires"/>.</summary>
    public void Remember(IPAddress address, IReadOnlyList<string> names, DateTimeOffset expires)
    {
        address = Canonical(address);
        var version = Interlocked.Increment(ref _version);
        _entries.AddOrUpdate(address,
            static (_, state) => new NamedAddress(Merge([], state.names, state.expires), state.version),
            static (_, old, state) => new NamedAddress(Merge(old.Names, state.names, state.expires), state.version),
            (names, expires, version));
        Renamed?.Invoke(address, version);
        if (_entries.Count > Capacity) Prune(time.GetUtcNow());
    }

    /// <summary>The names <paramref name="address"/> is known under now, newest answer first; null when no live answer named it.</summary>
    public IReadOnlyList<string>? NamesOf(IPAddress address)
    {
        if (!_entries.TryGetValue(Canonical(address), out var entry)) return null;
        var now = time.GetUtcNow();
        List<string>? live = null;
        foreach (var n in entry.Names)
            if (n.Expires > now) (live ??= []).Add(n.Name);
        return live;
    }

    /// <summary>
    /// The live names of <paramref name="address"/> (null when none), when the last of them expires, and
    /// a version that changes with every answer about the address — decisions that depend on the
    /// names are cached under it.
    /// </summary>
    public NameLookup Lookup(IPAddress address)
    {
        if (!_entries.TryGetValue(Canonical(address), out var entry)) return default;
        var now = time.GetUtcNow();
        List<string>? live = null;
        DateTimeOffset? last = null;
        foreach (var n in entry.Names)
        {
            if (n.Expires <= now) continue;
            (live ??= []).Add(n.Name);
            if (last is null || n.Expires > last) last = n.Expires;
        }
        return live is null ? default : new NameLookup(live, last, entry.Version);
    }

    /// <summary>When the last live name of <paramref name="address"/> expires (null when none).</summary>
    public DateTimeOffset? ExpiryOf(IPAddress address)
    {
        if (!_entries.TryGetValue(Canonical(address), out var entry)) return null;
        var now = time.GetUtcNow();
        DateTimeOffset? last = null;
        foreach (var n in entry.Names)
            if (n.Expires > now && (last is null || n.Expires > last)) last = n.Expires;
        return last;
    }

    /// <summary>
    /// Every address with at least one name live now (or, with <paramref name="lookBack"/>, expired
    /// less than that long ago), with those names and their expiry.
    /// </summary>
    public IEnumerable<(IPAddress Address, IReadOnlyList<ExpiringName> Names)> Live(TimeSpan lookBack = default)
    {
        var now = time.GetUtcNow() - lookBack;
        foreach (var (address, entry) in _entries)
        {
            var live = entry.Names.Where(n => n.Expires > now).ToArray();
            if (live.Length > 0) yield return (address, live);
        }
    }

    /// <summary>Drops expired names, then, above capacity, the addresses that expire soonest.</summary>
    public void Prune(DateTimeOffset now)
    {
        // One pruner at a time; a writer that finds one running just goes on.
        if (Interlocked.Exchange(ref _pruning, 1) == 1) return;
        try
        {
            foreach (var (address, entry) in _entries)
                if (entry.Names.All(n => n.Expires + DisplayRetention <= now)) _entries.TryRemove(new KeyValuePair<IPAddress, NamedAddress>(address, entry));
            var excess = _entries.Count - Capacity;
            if (excess <= 0) return;
            foreach (var (address, _) in _entries.OrderBy(e => e.Value.Names.Max(n => n.Expires)).Take(excess).ToList())
                _entries.TryRemove(address, out _);
        }
        finally
        {
            Volatile.Write(ref _pruning, 0);
        }
    }

    private static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static ExpiringName[] Merge(ExpiringName[] old, IReadOnlyList<string> names, DateTimeOffset expires)
    {
        var merged = new List<ExpiringName>(Math.Min(MaxNamesPerAddress, old.Length + names.Count));
        foreach (var name in names)
            if (merged.Count < MaxNamesPerAddress && !merged.Exists(n => n.Name == name)) merged.Add(new ExpiringName(name, expires));
        foreach (var n in old)
        {
            var i = merged.FindIndex(m => m.Name == n.Name);
            if (i >= 0) { if (n.Expires > merged[i].Expires) merged[i] = n; }
            else if (merged.Count < MaxNamesPerAddress) merged.Add(n);
        }
        return [.. merged];
    }

    private sealed record NamedAddress(ExpiringName[] Names, long Version);
}

/// <summary>A name an address was answered for, valid until <see cref="Expires"/>.</summary>
public readonly record struct ExpiringName(string Name, DateTimeOffset Expires);

/// <summary>What <see cref="NameBook.Lookup"/> knows about one address; <see cref="Names"/> null when no live answer named it.</summary>
public readonly record struct NameLookup(IReadOnlyList<string>? Names, DateTimeOffset? Expires, long Version)
{
    /// <summary>The name to show for the address: the newest question that answered it.</summary>
    public string? Domain => Names is { Count: > 0 } n ? n[0] : null;
}
