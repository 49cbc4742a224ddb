using Outgate.Linux.Attribution;

namespace Outgate.Linux.Tests.Attribution;

public class RecentProcessesTests
{
    [Fact]
    public void Keeps_the_newest_pids_newest_first()
    {
        var recent = new RecentProcesses(3);
        Span<int> pids = stackalloc int[8];
        Assert.Equal(0, recent.CopyNewestFirst(pids));
        foreach (var pid in (int[])[1, 2, 3, 4, 5]) recent.Add(pid);
        var n = recent.CopyNewestFirst(pids);
        Assert.Equal([5, 4, 3], pids[..n].ToArray());
        Assert.Equal(2, recent.CopyNewestFirst(pids[..2]));
    }
}
