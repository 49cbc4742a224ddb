using Outgate.Daemon.Traffic;

namespace Outgate.EndToEnd.Tests.Traffic;

public class SlidingSumTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sum_covers_the_ring_and_drops_whole_buckets_that_fall_out()
    {
        var sum = new SlidingSum(TimeSpan.FromSeconds(1), 3);
        sum.Add(T0, 1);
        sum.Add(T0.AddSeconds(1.5), 10);
        sum.Add(T0.AddSeconds(2.9), 100);
        Assert.Equal(111, sum.Sum(T0.AddSeconds(2.9)));
        Assert.Equal(110, sum.Sum(T0.AddSeconds(3)));   // bucket 0 left the ring
        Assert.Equal(100, sum.Sum(T0.AddSeconds(4.2)));
        Assert.Equal(0, sum.Sum(T0.AddSeconds(5)));
    }

    [Fact]
    public void Completed_sum_leaves_out_the_bucket_still_filling()
    {
        var sum = new SlidingSum(TimeSpan.FromSeconds(1), 4);
        for (var s = 0; s < 4; s++) sum.Add(T0.AddSeconds(s), 1000 * (s + 1));
        Assert.Equal(1000 + 2000 + 3000, sum.SumCompleted(T0.AddSeconds(3.5), 3));
        Assert.Equal(2000 + 3000 + 4000, sum.SumCompleted(T0.AddSeconds(4), 3));
    }

    [Fact]
    public void A_bucket_reused_after_a_full_turn_starts_from_zero()
    {
        var sum = new SlidingSum(TimeSpan.FromSeconds(1), 2);
        sum.Add(T0, 5);
        sum.Add(T0.AddSeconds(2), 7); // same slot as T0, one turn later
        Assert.Equal(7, sum.Sum(T0.AddSeconds(2)));
    }

    [Fact]
    public void Rejects_empty_rings_and_zero_widths()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlidingSum(TimeSpan.Zero, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlidingSum(TimeSpan.FromSeconds(1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlidingSum(TimeSpan.FromSeconds(1), 3).SumCompleted(T0, 3));
    }
}
