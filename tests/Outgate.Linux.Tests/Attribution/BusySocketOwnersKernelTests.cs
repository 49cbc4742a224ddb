using System.Diagnostics;
using System.Globalization;
using Outgate.Linux.Attribution;
using Outgate.Linux.ProcFs;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Attribution;

/// <summary>
/// <see cref="BusySocketOwners"/> and <see cref="ProcessFdDirectory"/> against real processes: a
/// python child (in a namespace of our own) opens and closes UDP sockets on command (nothing is
/// sent); we must find each new socket's owner, by probe once the fd numbers are learned.
/// </summary>
public class BusySocketOwnersKernelTests
{
    private const string Python = "/usr/bin/python3";

    /// <summary>
    /// Reads commands: "open N" opens N sockets and prints "fd:inode ..."; "close FD" closes one and
    /// prints "ok"; "fork" forks a child that holds the sockets until stdin closes and prints its pid.
    /// </summary>
    private const string SocketHolder = """
        import os, socket, sys
        socks = {}
        print(os.getpid(), flush=True)
        for line in sys.stdin:
            cmd, *args = line.split()
            if cmd == "open":
                out = []
                for _ in range(int(args[0])):
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    socks[s.fileno()] = s
                    out.append(f"{s.fileno()}:{os.fstat(s.fileno()).st_ino}")
                print(" ".join(out), flush=True)
            elif cmd == "close":
                socks.pop(int(args[0])).close()
                print("ok", flush=True)
        """;

    private static readonly Action<ulong, int> Ignore = (_, _) => { };

    private sealed class Holder(Process process, int pid)
    {
        public int Pid => pid;

        public async Task<(int Fd, ulong Inode)[]> OpenAsync(int count)
        {
            var line = await SendAsync($"open {count}");
            return [.. line.Split(' ').Select(p => p.Split(':')).Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), ulong.Parse(p[1], CultureInfo.InvariantCulture)))];
        }

        public async Task CloseAsync(int fd) => Assert.Equal("ok", await SendAsync($"close {fd}"));

        public async Task ExitAsync()
        {
            process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(cts.Token);
        }

        private async Task<string> SendAsync(string command)
        {
            await process.StandardInput.WriteLineAsync(command);
            await process.StandardInput.FlushAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            return await process.StandardOutput.ReadLineAsync(cts.Token)
                ?? throw new InvalidOperationException($"socket holder {pid} ended: {await process.StandardError.ReadToEndAsync(cts.Token)}");
        }
    }

    private static async Task<Holder> StartHolderAsync(NetworkNamespace ns)
    {
        NetworkNamespace.SkipUnlessRoot();
        if (!File.Exists(Python)) Assert.Skip($"needs {Python} (apt-get install python3)");
        var p = ns.Start(Python, "-c", SocketHolder);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await p.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("socket holder did not start");
        return new Holder(p, int.Parse(line, CultureInfo.InvariantCulture));
    }

    private static int Find(BusySocketOwners owners, ulong inode, out bool probed)
    {
        probed = owners.TryProbe(inode, Ignore, out var pid);
        if (probed) return pid;
        return owners.TryReadTables(inode, Ignore, out pid) ? pid : 0;
    }

    [Fact]
    public async Task Every_one_of_many_sockets_in_one_process_is_found_and_reads_report_the_others()
    {
        await using var ns = await NetworkNamespace.CreateAsync("bo");
        var holder = await StartHolderAsync(ns);
        var sockets = await holder.OpenAsync(200);
        using var owners = new BusySocketOwners("/proc", 8);
        Assert.True(owners.Admit(holder.Pid));

        var seen = new Dictionary<ulong, int>();
        Assert.True(owners.TryReadTables(sockets[^1].Inode, (inode, pid) => seen[inode] = pid, out var owner));
        Assert.Equal(holder.Pid, owner);
        // Every other socket of the table came along, for the packets that follow.
        Assert.All(sockets[..^1], s => Assert.Equal(holder.Pid, seen[s.Inode]));

        foreach (var (_, inode) in sockets)
            Assert.Equal(holder.Pid, Find(owners, inode, out _));
        Assert.Equal(0, Find(owners, 1, out _)); // an inode nobody holds
    }

    [Fact]
    public async Task A_socket_on_a_reused_fd_number_is_found_by_probe_after_the_number_is_learned()
    {
        await using var ns = await NetworkNamespace.CreateAsync("bo");
        var holder = await StartHolderAsync(ns);
        await holder.OpenAsync(50); // a table worth not reading per connection
        using var owners = new BusySocketOwners("/proc", 8);
        Assert.True(owners.Admit(holder.Pid));

        var probes = 0;
        ulong previous = 0;
        for (var i = 0; i < 20; i++)
        {
            var (fd, inode) = (await holder.OpenAsync(1))[0];
            Assert.NotEqual(previous, inode);
            Assert.Equal(holder.Pid, Find(owners, inode, out var probed));
            if (probed) probes++;
            await holder.CloseAsync(fd); // the next socket gets the same lowest free number
            previous = inode;
        }
        // The first is found by a table read (nothing learned yet); every later one on the same number by probe.
        Assert.Equal(19, probes);
    }

    [Fact]
    public async Task A_socket_in_a_hole_left_by_a_closed_fd_is_found_and_the_hole_is_guessed_next()
    {
        await using var ns = await NetworkNamespace.CreateAsync("bo");
        var holder = await StartHolderAsync(ns);
        var first = await holder.OpenAsync(30);
        using var owners = new BusySocketOwners("/proc", 8);
        Assert.True(owners.Admit(holder.Pid));
        Assert.Equal(holder.Pid, Find(owners, first[^1].Inode, out _)); // learns the table

        // Close three in the middle: the kernel fills the lowest hole first.
        foreach (var s in first[10..13]) await holder.CloseAsync(s.Fd);
        var refill = await holder.OpenAsync(3);
        Assert.Equal(first[10..13].Select(s => s.Fd), refill.Select(s => s.Fd));
        foreach (var (_, inode) in refill) Assert.Equal(holder.Pid, Find(owners, inode, out _));
        var (fd, next) = (await holder.OpenAsync(1))[0];
        Assert.Equal(first[^1].Fd + 1, fd); // no hole left: the end of the table, a learned free number
        Assert.Equal(holder.Pid, Find(owners, next, out var probed));
        Assert.True(probed, "the number after the highest fd is one of the guesses after a table read");
    }

    [Fact]
    public async Task An_owner_that_exited_is_dropped_and_its_pid_is_never_read_through_the_old_directory()
    {
        await using var ns = await NetworkNamespace.CreateAsync("bo");
        var holder = await StartHolderAsync(ns);
        var (fd, inode) = (await holder.OpenAsync(1))[0];
        using var owners = new BusySocketOwners("/proc", 8);
        Assert.True(owners.Admit(holder.Pid));
        Assert.Equal(holder.Pid, Find(owners, inode, out _));
        Assert.True(ProcessFdDirectory.TryOpen("/proc", holder.Pid, out var kept, out _));
        using (kept)
        {
            await holder.ExitAsync();

            // Short-lived: gone means gone, whatever later takes its number (the kept directory
            // follows the process, not the number, so a reused pid cannot answer through it).
            Assert.Equal(FdProbe.Missing, kept.Probe(fd, out _));
            Assert.False(kept.ReadSockets(static (_, _, _) => { }, 0, stackalloc int[2], out _));
            Assert.False(owners.TryProbe(inode, Ignore, out _));
            Assert.False(owners.TryReadTables(inode, Ignore, out _));
            Assert.Empty(owners.Pids());
        }
    }

    [Fact]
    public async Task The_least_recently_useful_owner_is_evicted_when_full()
    {
        await using var ns = await NetworkNamespace.CreateAsync("bo");
        var a = await StartHolderAsync(ns);
        var b = await StartHolderAsync(ns);
        var c = await StartHolderAsync(ns);
        var socketOfA = (await a.OpenAsync(1))[0].Inode;
        using var owners = new BusySocketOwners("/proc", 2);
        Assert.True(owners.Admit(a.Pid));
        Assert.True(owners.Admit(b.Pid));
        Assert.Equal(a.Pid, Find(owners, socketOfA, out _)); // a is useful: b is now the oldest
        Assert.True(owners.Admit(c.Pid));
        Assert.Equal([a.Pid, c.Pid], owners.Pids().Order());
        Assert.True(owners.Admit(c.Pid)); // again: reopened in place, not a second slot
        Assert.Equal(2, owners.Pids().Length);
    }
}
