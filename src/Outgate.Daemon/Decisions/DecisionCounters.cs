namespace Outgate.Daemon.Decisions;

/// <summary>What the queue decided since start, for <c>outgate status</c> and /metrics.</summary>
public sealed class DecisionCounters
{
    private long _allowed, _denied, _passed, _prompted, _cached, _hashMismatches;

    public long Allowed => Interlocked.Read(ref _allowed);
    public long Denied => Interlocked.Read(ref _denied);
    public long Passed => Interlocked.Read(ref _passed);
    public long Prompted => Interlocked.Read(ref _prompted);
    public long Cached => Interlocked.Read(ref _cached);
    public long HashMismatches => Interlocked.Read(ref _hashMismatches);

    public void Count(AppVerdict verdict, bool cached, bool prompted)
    {
        if (prompted) Interlocked.Increment(ref _prompted);
        else if (verdict == AppVerdict.Allow) Interlocked.Increment(ref _allowed);
        else if (verdict == AppVerdict.Deny) Interlocked.Increment(ref _denied);
        else Interlocked.Increment(ref _passed);
        if (cached) Interlocked.Increment(ref _cached);
    }

    public void CountAnswer(AppVerdict verdict)
    {
        if (verdict == AppVerdict.Deny) Interlocked.Increment(ref _denied);
        else Interlocked.Increment(ref _allowed);
    }

    public void CountHashMismatch() => Interlocked.Increment(ref _hashMismatches);
}
