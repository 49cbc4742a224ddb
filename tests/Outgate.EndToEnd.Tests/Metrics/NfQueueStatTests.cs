using Outgate.Daemon.Metrics;

namespace Outgate.EndToEnd.Tests.Metrics;

public sealed class NfQueueStatTests
{
    [Fact]
    public void Reads_backlog_and_both_drop_counters_of_each_queue()
    {
        // Two lines as kernel 6.x prints them (seq_printf "%5u %6u %5u %1u %5u %5u %5u %8u %2d").
        var stats = NfQueueStat.Parse("   10 3214741     3 2 65531     7     2       42  1\n   12 -4122     0 2 65531     0     0        9  1\n");
        var q = Assert.Single(stats);
        Assert.Equal(new NfQueueStat(10, 3214741, 3, 7, 2), q);
    }

    [Fact]
    public void Skips_lines_of_another_format_instead_of_misreading_them()
    {
        Assert.Empty(NfQueueStat.Parse("queue_number peer_portid\n1 2 3\n\n"));
        Assert.Empty(NfQueueStat.Parse(""));
    }
}
