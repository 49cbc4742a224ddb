using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

/// <summary><see cref="ProcessFdDirectory"/> over a fake /proc: link parsing, free numbers, missing processes.</summary>
public class ProcessFdDirectoryFakeTreeTests
{
    [Fact]
    public void Probe_tells_sockets_other_files_and_free_numbers_apart()
    {
        using var proc = new FakeProcTree().WithFds(40, (0, "/dev/null"), (3, "socket:[777]"), (4, "pipe:[9]"));
        Assert.True(ProcessFdDirectory.TryOpen(proc.Root, 40, out var fds, out _));
        using (fds)
        {
            Assert.Equal((FdProbe.Socket, 777ul), (fds.Probe(3, out var inode), inode));
            Assert.Equal(FdProbe.NotSocket, fds.Probe(0, out _));
            Assert.Equal(FdProbe.NotSocket, fds.Probe(4, out _));
            Assert.Equal(FdProbe.Missing, fds.Probe(5, out _));
            Assert.Equal(FdProbe.Missing, fds.Probe(-1, out _));
            Assert.Equal(40, fds.Pid);
        }
    }

    [Fact]
    public void Reading_the_table_reports_every_socket_and_the_lowest_free_numbers()
    {
        using var proc = new FakeProcTree().WithFds(41, (0, "/dev/null"), (1, "socket:[10]"), (3, "socket:[11]"), (4, "anon_inode:[eventfd]"), (6, "socket:[12]"));
        Assert.True(ProcessFdDirectory.TryOpen(proc.Root, 41, out var fds, out _));
        using (fds)
        {
            var sockets = new List<(int, ulong)>();
            Span<int> free = stackalloc int[3];
            Assert.True(fds.ReadSockets(static (list, fd, inode) => list.Add((fd, inode)), sockets, free, out var freeCount));
            Assert.Equal([(1, 10ul), (3, 11ul), (6, 12ul)], sockets.Order());
            Assert.Equal([2, 5, 7], free[..freeCount].ToArray());
        }
    }

    [Fact]
    public void A_process_without_fd_directory_cannot_be_opened()
    {
        using var proc = new FakeProcTree();
        Directory.CreateDirectory(proc.PidDir(42));
        Assert.False(ProcessFdDirectory.TryOpen(proc.Root, 42, out var fds, out var errno));
        Assert.Null(fds);
        Assert.Equal(2, errno); // ENOENT
        Assert.False(ProcessFdDirectory.TryOpen(proc.Root, 0, out _, out _));
    }

    [Theory]
    [InlineData("0", true, 0)]
    [InlineData("17", true, 17)]
    [InlineData("2147483647", true, int.MaxValue)]
    [InlineData("2147483648", false, 0)]
    [InlineData(".", false, 0)]
    [InlineData("+1", false, 0)]
    [InlineData("", false, 0)]
    public void Fd_entry_names_parse_as_non_negative_numbers(string name, bool ok, int fd)
    {
        Assert.Equal((ok, fd), (SocketOwnerIndex.TryParseFdNumber(System.Text.Encoding.ASCII.GetBytes(name), out var parsed), parsed));
    }
}
