namespace Outgate.Daemon.Guard;

/// <summary>How often the tamper guard put our rules back, and when last.</summary>
public sealed class TamperCounters
{
    private long _restored;
    private long _lastTicks;

    public long Restored => Interlocked.Read(ref _restored);

    public DateTimeOffset? LastAt => Interlocked.Read(ref _lastTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public void CountRestore(DateTimeOffset at)
    {
        Interlocked.Increment(ref _restored);
        Interlocked.Exchange(ref _lastTicks, at.UtcTicks);
    }
}
