using Outgate.Linux.ProcFs;
using Outgate.Testing;

namespace Outgate.Linux.Tests.ProcFs;

public class SocketOwnerIndexFakeTreeTests
{
    [Fact]
    public void Maps_socket_inodes_to_all_owning_pids_in_pid_order()
    {
        using var proc = new FakeProcTree()
            .WithFds(200, (5, "socket:[12345]"), (6, "socket:[12345]"), (7, "pipe:[88]"))
            .WithFds(100, (0, "/dev/null"), (3, "socket:[12345]"), (4, "socket:[999]"))
            .WithFds(30, (3, "socket:[12345]"), (9, "anon_inode:[eventfd]"));
        Directory.CreateDirectory(Path.Combine(proc.Root, "self"));
        Directory.CreateDirectory(Path.Combine(proc.Root, "sys"));
        File.WriteAllText(Path.Combine(proc.Root, "uptime"), "1.0 1.0\n");

        var index = SocketOwnerIndex.Scan(proc.Root);

        Assert.Equal([30, 100, 200], index.PidsOf(12345));
        Assert.Equal([100], index.PidsOf(999));
        Assert.Empty(index.PidsOf(88));
        Assert.Empty(index.PidsOf(1));
        Assert.Equal(3, index.ProcessesScanned);
        Assert.Equal(0, index.ProcessesDenied);
        Assert.Equal(2, index.SocketCount);
    }

    [Fact]
    public void Process_without_fd_directory_is_skipped_as_vanished()
    {
        using var proc = new FakeProcTree().WithFds(10, (3, "socket:[1]"));
        Directory.CreateDirectory(proc.PidDir(11)); // exited: /proc/11 listed, fd gone
        File.WriteAllText(Path.Combine(proc.Root, "12"), "not a directory");

        var index = SocketOwnerIndex.Scan(proc.Root);

        Assert.Equal([10], index.PidsOf(1));
        Assert.Equal(1, index.ProcessesScanned);
        Assert.Equal(2, index.ProcessesVanished);
    }

    [Fact]
    public void Fd_entries_that_are_not_symlinks_are_ignored()
    {
        using var proc = new FakeProcTree().WithFds(10, (3, "socket:[1]"));
        File.WriteAllText(Path.Combine(proc.PidDir(10), "fd", "4"), "socket:[2]");
        Directory.CreateDirectory(Path.Combine(proc.PidDir(10), "fd", "5"));

        var index = SocketOwnerIndex.Scan(proc.Root);

        Assert.Equal([10], index.PidsOf(1));
        Assert.Empty(index.PidsOf(2));
    }

    [Fact]
    public void Unreadable_fd_directory_counts_as_denied()
    {
        if (!NetworkNamespace.IsRoot) Assert.Skip("needs root: switches the filesystem uid to nobody");
        using var proc = new FakeProcTree().WithFds(10, (3, "socket:[1]")).WithFds(20, (3, "socket:[2]"));
        FakeProcTree.Chmod(Path.Combine(proc.PidDir(20), "fd"), UnixFileMode.None);
        // Our temp root is 0700 for root on some systems: let nobody in (the denial under test is fd/).
        foreach (var dir in new[] { proc.Root, proc.PidDir(10), proc.PidDir(20), Path.Combine(proc.PidDir(10), "fd") })
            FakeProcTree.Chmod(dir, (UnixFileMode)0b111_101_101);

        var index = FsUid.Run(65534, () => SocketOwnerIndex.Scan(proc.Root));

        Assert.Equal([10], index.PidsOf(1));
        Assert.Empty(index.PidsOf(2));
        Assert.Equal(1, index.ProcessesScanned);
        Assert.Equal(1, index.ProcessesDenied);
    }

    [Fact]
    public void Wanted_set_keeps_only_those_inodes()
    {
        using var proc = new FakeProcTree().WithFds(10, (3, "socket:[1]"), (4, "socket:[2]"), (5, "socket:[3]"));

        var index = SocketOwnerIndex.Scan(proc.Root, new HashSet<ulong> { 2, 3, 42 });

        Assert.Empty(index.PidsOf(1));
        Assert.Equal([10], index.PidsOf(2));
        Assert.Equal([10], index.PidsOf(3));
        Assert.Equal(2, index.SocketCount);
    }

    [Fact]
    public async Task Processes_vanishing_during_scans_never_break_the_scan()
    {
        using var proc = new FakeProcTree().WithFds(1, (3, "socket:[7]"));
        using var stop = new CancellationTokenSource();
        var churn = Task.Run(() =>
        {
            var pid = 1000;
            while (!stop.IsCancellationRequested)
            {
                proc.WithFds(pid, (3, $"socket:[{pid}]"), (4, "socket:[7]"));
                if (pid > 1010) Directory.Delete(proc.PidDir(pid - 10), recursive: true);
                pid++;
            }
        }, TestContext.Current.CancellationToken);

        for (var i = 0; i < 300; i++)
        {
            var index = SocketOwnerIndex.Scan(proc.Root);
            Assert.Contains(1, index.PidsOf(7));
            Assert.Equal(index.PidsOf(7).Order(), index.PidsOf(7));
        }
        stop.Cancel();
        await churn;
    }

    [Fact]
    public void Missing_proc_root_is_an_error_that_names_it()
    {
        var ex = Assert.Throws<IOException>(() => SocketOwnerIndex.Scan("/nonexistent/og-proc"));
        Assert.Contains("/nonexistent/og-proc", ex.Message);
    }
}
