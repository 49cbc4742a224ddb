using Outgate.Daemon.Hosting;

namespace Outgate.EndToEnd.Tests.Hosting;

public class MemoryTrimTests
{
    [Fact]
    public void Trims_once_when_a_burst_has_fallen_to_a_quarter_of_its_peak()
    {
        var trim = new MemoryTrim();
        Assert.False(trim.Observe(20_000));
        Assert.False(trim.Observe(12_000));
        Assert.False(trim.Observe(5_001));
        Assert.True(trim.Observe(4_000));
        // Over: the next sweeps of a quiet daemon do not trim again.
        Assert.False(trim.Observe(3_000));
        Assert.False(trim.Observe(100));
        Assert.Equal(1, trim.Trims);
    }

    [Fact]
    public void Small_loads_are_never_a_burst()
    {
        var trim = new MemoryTrim();
        foreach (var flows in new[] { 9_999, 0, 9_000, 10, 0 }) Assert.False(trim.Observe(flows));
        Assert.Equal(0, trim.Trims);
    }

    [Fact]
    public void A_second_burst_trims_again()
    {
        var trim = new MemoryTrim();
        trim.Observe(40_000);
        Assert.True(trim.Observe(1_000));
        Assert.False(trim.Observe(30_000));
        Assert.True(trim.Observe(0));
        Assert.Equal(2, trim.Trims);
    }
}
