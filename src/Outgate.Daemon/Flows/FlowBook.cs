using System.Collections.Concurrent;
using Outgate.Policy;

namespace Outgate.Daemon.Flows;

/// <summary>
/// Who opened each flow the queue decided, until conntrack says it ended: the flow-end event then
/// carries the program and the verdict next to the byte counters. Bounded; when full, new flows
/// are not remembered (their flow-end event has the addresses and bytes only) and the miss is counted.
/// </summary>
public sealed class FlowBook(int capacity = 262_144)
{
    private readonly ConcurrentDictionary<FlowKey, FlowOwner> _flows = new();
    private long _full;

    // ConcurrentDictionary.Count takes every bucket lock: per connection that showed in profiles.
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public long NotRemembered => Interlocked.Read(ref _full);

    public void Remember(FlowKey key, FlowOwner owner)
    {
        if (Volatile.Read(ref _count) >= capacity)
        {
            Interlocked.Increment(ref _full);
            return;
        }
        if (_flows.TryAdd(key, owner)) Interlocked.Increment(ref _count);
        else _flows[key] = owner;
    }

    /// <summary>Who opened <paramref name="key"/>, without forgetting it (the flow meter reads live flows).</summary>
    public bool TryGet(FlowKey key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out FlowOwner owner) => _flows.TryGetValue(key, out owner);

    public FlowOwner? Forget(FlowKey key)
    {
        if (!_flows.TryRemove(key, out var owner)) return null;
        Interlocked.Decrement(ref _count);
        return owner;
    }
}

/// <summary>A flow as the original direction's 5-tuple.</summary>
/// <remarks>
/// Auto layout: in declaration order the 16-byte-aligned UInt128s pad the key to 80 bytes, 48 otherwise. The flow book,
/// the traffic meter and each dump hold one per live conntrack entry (80,000 after a burst of short connections).
/// </remarks>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)]
public readonly record struct FlowKey(byte Protocol, UInt128 Source, ushort SourcePort, UInt128 Destination, ushort DestinationPort);

/// <summary>The program behind a flow and what was decided.</summary>
public sealed record FlowOwner(ProcessFacts Process, string Verdict, string DecidedBy, string? Domain = null, string? Tags = null);
