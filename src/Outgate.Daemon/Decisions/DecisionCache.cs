using System.Collections.Concurrent;
using Outgate.Policy;

namespace Outgate.Daemon.Decisions;

/// <summary>
/// Decisions per (program identity, destination, port, protocol), so a program that connects again
/// is answered without running the matchers. Entries carry the policy generation and mode they were
/// made under and expire with the rule that made them (<see cref="ConnectionDecision.ValidUntil"/>);
/// a reload or mode switch makes every older entry stale at once. Prompts are never cached. The size
/// is bounded: when full, the cache is cleared (cheap, and refills with what is hot).
/// </summary>
public sealed class DecisionCache(int capacity = 65_536)
{
    private readonly ConcurrentDictionary<DecisionKey, Entry> _entries = new();
    private long _hits, _misses;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public int Count => _entries.Count;

    public bool TryGet(in DecisionKey key, long generation, int mode, DateTimeOffset now, out ConnectionDecision decision)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Generation == generation && entry.Mode == mode
            && (entry.Decision.ValidUntil is not { } until || until > now))
        {
            Interlocked.Increment(ref _hits);
            decision = entry.Decision;
            return true;
        }
        Interlocked.Increment(ref _misses);
        decision = null!;
        return false;
    }

    public void Add(in DecisionKey key, long generation, int mode, ConnectionDecision decision)
    {
        if (decision.Prompt) return;
        if (_entries.Count >= capacity) _entries.Clear();
        _entries[key] = new Entry(generation, mode, decision);
    }

    public void Clear() => _entries.Clear();

    private sealed record Entry(long Generation, int Mode, ConnectionDecision Decision);
}

/// <summary>
/// Everything a decision can depend on, except the pid (a new process of the same program gets the
/// cached answer). <see cref="NamesVersion"/> changes with every DNS answer about the destination, so
/// a decision made before a lookup (no names) is not reused after it.
/// </summary>
public readonly record struct DecisionKey(
    string? Executable, string? Sha256, string? CommandLine, string? Parent, uint Uid, uint Gid,
    string? Unit, string? Cgroup, string? Container, UInt128 Destination, ushort Port, byte Protocol, bool IPv6, uint OutInterface,
    long NamesVersion)
{
    public static DecisionKey Of(ProcessFacts p, UInt128 destination, ushort port, byte protocol, bool ipv6, uint outInterface, long namesVersion = 0) =>
        new(p.ExecutablePath, p.Sha256, p.CommandLine, p.ParentExecutablePath, p.Uid, p.Gid, p.SystemdUnit, p.CgroupPath,
            p.ContainerId, destination, port, protocol, ipv6, outInterface, namesVersion);
}
