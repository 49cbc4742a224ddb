namespace Outgate.Daemon.Traffic;

/// <summary>
/// A running sum over the recent past in a fixed ring of time buckets: memory stays <c>buckets</c> longs however
/// much is added. A bucket that falls out of the ring drops whole, so a sum over n buckets covers between
/// (n − 1) and n bucket widths of history. Not thread-safe (the meter holds its lock).
/// </summary>
public sealed class SlidingSum
{
    private readonly long[] _sums;
    private readonly long[] _ids;
    private readonly long _widthTicks;

    public SlidingSum(TimeSpan width, int buckets)
    {
        if (width <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(width), width, "a bucket must be longer than zero");
        if (buckets < 1) throw new ArgumentOutOfRangeException(nameof(buckets), buckets, "at least one bucket");
        Width = width;
        _widthTicks = width.Ticks;
        _sums = new long[buckets];
        _ids = new long[buckets];
        Array.Fill(_ids, long.MinValue);
    }

    public TimeSpan Width { get; }

    public int Buckets => _sums.Length;

    /// <summary>The whole span the ring covers (width × buckets).</summary>
    public TimeSpan Span => Width * Buckets;

    public void Add(DateTimeOffset time, long value)
    {
        if (value == 0) return;
        var id = BucketOf(time);
        var i = Index(id);
        if (_ids[i] != id)
        {
            _ids[i] = id;
            _sums[i] = 0;
        }
        _sums[i] += value;
    }

    /// <summary>Everything in the ring at <paramref name="now"/>: the current bucket and the <see cref="Buckets"/> − 1 before it.</summary>
    public long Sum(DateTimeOffset now)
    {
        var id = BucketOf(now);
        return SumRange(id - _sums.Length + 1, id);
    }

    /// <summary>
    /// The <paramref name="count"/> complete buckets before the current one (which is still filling): a rate
    /// per bucket width is this divided by <paramref name="count"/>.
    /// </summary>
    public long SumCompleted(DateTimeOffset now, int count)
    {
        if (count < 1 || count >= _sums.Length) throw new ArgumentOutOfRangeException(nameof(count), count, $"1 to {_sums.Length - 1} complete buckets");
        var id = BucketOf(now);
        return SumRange(id - count, id - 1);
    }

    private long SumRange(long first, long last)
    {
        long sum = 0;
        for (var i = 0; i < _sums.Length; i++)
            if (_ids[i] >= first && _ids[i] <= last) sum += _sums[i];
        return sum;
    }

    private long BucketOf(DateTimeOffset time) => time.UtcTicks / _widthTicks;

    private int Index(long id) => (int)(id % _sums.Length);
}
