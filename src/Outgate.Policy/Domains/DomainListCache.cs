using System.Collections.Concurrent;

namespace Outgate.Policy.Domains;

/// <summary>
/// The <c>to list</c> files of a policy, loaded on first use and reloaded when a file's modification time or size changes
/// (checked at most once per <see cref="RecheckInterval"/> per file, so matching does not stat on every packet). Never
/// throws: a load problem is in <see cref="LoadedList.Error"/> and <see cref="LoadedList.Warnings"/>; a failed reload keeps
/// the previous sets. Thread-safe; a reload builds new sets and swaps the entry, readers never see half a list.
/// </summary>
public sealed class DomainListCache(TimeSpan? recheckInterval = null)
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Lock reloading = new();

    /// <summary>How often a file's mtime and size are compared with the loaded copy. Default 2 s; zero checks on every call.</summary>
    public TimeSpan RecheckInterval { get; } = recheckInterval ?? TimeSpan.FromSeconds(2);

    /// <summary>The list at <paramref name="path"/>, loading or reloading it when needed.</summary>
    public LoadedList Get(string path)
    {
        var now = Environment.TickCount64;
        if (entries.TryGetValue(path, out var entry) && now - entry.CheckedAt < (long)RecheckInterval.TotalMilliseconds)
        {
            return entry.List;
        }

        lock (reloading)
        {
            if (entries.TryGetValue(path, out entry) && now - entry.CheckedAt < (long)RecheckInterval.TotalMilliseconds)
            {
                return entry.List;
            }

            var stamp = Stamp(path);
            if (entry is not null && stamp == entry.Stamp)
            {
                entries[path] = entry with { CheckedAt = now };
                return entry.List;
            }

            var list = Load(path, entry?.List);
            entries[path] = new Entry(list, stamp, now);
            return list;
        }
    }

    /// <summary>Forgets every loaded list (the next <see cref="Get"/> reads the file again).</summary>
    public void Clear() => entries.Clear();

    /// <summary>Reads a list file now, without caching: what the compiler and <c>outgate check</c> use.</summary>
    public static LoadedList Load(string path, LoadedList? previous = null)
    {
        if (!ListKindDetector.TryDetect(path, out var kind, out var error))
        {
            return Failed(path, previous, error, [new ListWarning(path, 0, error)]);
        }

        if (kind == ListKind.Addresses)
        {
            var addresses = AddressListReader.ReadFile(path);
            return addresses.IsUnusable
                ? Failed(path, previous, Summary(path, addresses.Warnings), addresses.Warnings)
                : new LoadedList(path, kind, DomainSuffixSet.Empty, addresses.Set, addresses.Warnings, null);
        }

        var domains = DomainListReader.ReadFile(path);
        return domains.IsUnusable
            ? Failed(path, previous, Summary(path, domains.Warnings), domains.Warnings)
            : new LoadedList(path, kind, domains.Set, AddressRangeSet.Empty, domains.Warnings, null);
    }

    private static LoadedList Failed(string path, LoadedList? previous, string error, IReadOnlyList<ListWarning> warnings)
        => previous is { IsUsable: true }
            ? previous with { Error = error, Warnings = warnings }
            : new LoadedList(path, ListKind.Domains, DomainSuffixSet.Empty, AddressRangeSet.Empty, warnings, error);

    private static string Summary(string path, IReadOnlyList<ListWarning> warnings)
        => warnings.Count == 0 ? $"the list {path} is not usable" : warnings[^1].ToString();

    private static (DateTime, long) Stamp(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (DateTime.MinValue, -1);
        }
    }

    private sealed record Entry(LoadedList List, (DateTime, long) Stamp, long CheckedAt);
}
