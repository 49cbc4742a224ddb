namespace Outgate.Daemon.Options;

/// <summary>The event store: the bounded channel in front of the writer, batching and retention.</summary>
public sealed record EventStoreOptions
{
    /// <summary>
    /// Events the channel in front of the writer holds (default 65,536). When it is full, new
    /// events are dropped and counted (<c>events.dropped</c> in <c>outgate status</c>), never silently lost
    /// and never waited for: a packet verdict must not wait on disk.
    /// </summary>
    public int ChannelCapacity { get; init; } = 65_536;

    /// <summary>Rows per transaction (default 2,000: ~270k rows/s on our machines, see STACK.md).</summary>
    public int BatchSize { get; init; } = 2_000;

    /// <summary>Keep at most this many events; older ones are pruned (default 1,000,000; 0 = no row limit).</summary>
    public long MaxRows { get; init; } = 1_000_000;

    /// <summary>Prune events older than this (default 30 days; <see cref="TimeSpan.Zero"/> = no age limit).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How often retention runs (default 5 minutes; also once at start).</summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromMinutes(5);
}
