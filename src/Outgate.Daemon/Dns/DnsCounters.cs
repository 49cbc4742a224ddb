namespace Outgate.Daemon.Dns;

/// <summary>What the DNS tracker has seen since start, for status and metrics. Thread-safe.</summary>
public sealed class DnsCounters
{
    private long _answers, _unreadable, _addresses, _setWrites, _setErrors, _refills, _elements;
    private long _lastWriteTicks;
    private int _domainSets;

    /// <summary>DNS answers parsed.</summary>
    public long Answers => Interlocked.Read(ref _answers);

    /// <summary>Packets from port 53 that were not a readable DNS answer (passed on untouched).</summary>
    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>Address records learned.</summary>
    public long Addresses => Interlocked.Read(ref _addresses);

    /// <summary>Set element writes (transactions) and the elements in them.</summary>
    public long SetWrites => Interlocked.Read(ref _setWrites);

    public long Elements => Interlocked.Read(ref _elements);

    /// <summary>Set writes the kernel refused (a set missing while the table is replaced, ...).</summary>
    public long SetErrors => Interlocked.Read(ref _setErrors);

    /// <summary>Times the domain sets were refilled from memory after the table was replaced.</summary>
    public long Refills => Interlocked.Read(ref _refills);

    /// <summary>Duration of the last set write, in microseconds.</summary>
    public double LastWriteMicros => TimeSpan.FromTicks(Interlocked.Read(ref _lastWriteTicks)).TotalMicroseconds;

    public void CountAnswer(int addresses)
    {
        Interlocked.Increment(ref _answers);
        Interlocked.Add(ref _addresses, addresses);
    }

    public void CountUnreadable() => Interlocked.Increment(ref _unreadable);

    public void CountWrite(int elements, TimeSpan took, bool failed)
    {
        Interlocked.Increment(ref _setWrites);
        Interlocked.Add(ref _elements, elements);
        Interlocked.Exchange(ref _lastWriteTicks, took.Ticks);
        if (failed) Interlocked.Increment(ref _setErrors);
    }

    public void CountRefill() => Interlocked.Increment(ref _refills);

    /// <summary>Domain set pairs the tracker fills under the policy in force (set when its plan is rebuilt).</summary>
    public int DomainSets
    {
        get => Volatile.Read(ref _domainSets);
        set => Volatile.Write(ref _domainSets, value);
    }
}
