namespace Outgate.Daemon.Events;

/// <summary>
/// Counters of the event path, shared by <see cref="EventSink"/> (accepted, dropped), the
/// <see cref="EventWriterService"/> (written, failed) and the <see cref="EventRetentionService"/>
/// (pruned). Accepted = written + failed + still queued, so nothing disappears unaccounted.
/// </summary>
public sealed class EventCounters
{
    private long _accepted, _dropped, _written, _failed, _pruned;

    /// <summary>Taken into the channel.</summary>
    public long Accepted => Volatile.Read(ref _accepted);

    /// <summary>Refused because the channel was full (overload).</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Committed to events.db.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Accepted but lost to a database error (disk full, I/O error); see the daemon log.</summary>
    public long Failed => Volatile.Read(ref _failed);

    /// <summary>Removed by retention.</summary>
    public long Pruned => Volatile.Read(ref _pruned);

    /// <summary>The last database error, if any.</summary>
    public string? LastError { get; internal set; }

    internal void AddAccepted() => Interlocked.Increment(ref _accepted);
    internal void AddDropped() => Interlocked.Increment(ref _dropped);
    internal void AddWritten(long n) => Interlocked.Add(ref _written, n);
    internal void AddFailed(long n) => Interlocked.Add(ref _failed, n);
    internal void AddPruned(long n) => Interlocked.Add(ref _pruned, n);
}
