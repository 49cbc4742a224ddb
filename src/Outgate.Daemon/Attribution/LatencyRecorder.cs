
namespace Outgate.Daemon.Attribution;

/// <summary>The last 4,096 durations of an operation, for p50/p99 in <c>outgate status</c>. Lock-free writes; reads copy.</summary>
public sealed class LatencyRecorder
{
    private const int Size = 4096;
    private readonly long[] _ticks = new long[Size];
    private long _count;

    public void Record(TimeSpan elapsed)
    {
        var slot = Interlocked.Increment(ref _count) - 1;
        _ticks[slot & (Size - 1)] = elapsed.Ticks;
    }

    /// <summary>The given percentile (0–100) in microseconds, or null before the first sample.</summary>
    public double? PercentileMicros(double percentile)
    {
        var count = (int)Math.Min(Interlocked.Read(ref _count), Size);
        if (count == 0) return null;
        var copy = _ticks.AsSpan(0, count).ToArray();
        Array.Sort(copy);
        var index = Math.Clamp((int)Math.Ceiling(percentile / 100 * count) - 1, 0, count - 1);
        return Math.Round(copy[index] / (double)TimeSpan.TicksPerMicrosecond, 1);
    }
}
