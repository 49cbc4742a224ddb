using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Outgate.Linux.ProcFs;
using Outgate.Testing;

namespace Outgate.Linux.Tests.ProcFs;

/// <summary>
/// Against the real kernel: processes we start (inside a network namespace of our own, so nothing
/// listens on the host) must be found by socket inode and described correctly.
/// </summary>
public class ProcFsKernelTests
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Listens on 127.0.0.1, forks a child that shares the socket, prints "pid ppid child inode", waits for stdin to close.</summary>
    private const string ListenAndFork =
        "import os,socket,sys; s=socket.socket(); s.bind((\"127.0.0.1\",0)); s.listen(); c=os.fork(); " +
        "c==0 and (sys.stdin.read(), os._exit(0)); print(os.getpid(), os.getppid(), c, os.fstat(s.fileno()).st_ino, flush=True); sys.stdin.read()";

    /// <summary>Listens without forking; prints "pid ppid inode".</summary>
    private const string Listen =
        "import os,socket,sys; s=socket.socket(); s.bind((\"127.0.0.1\",0)); s.listen(); " +
        "print(os.getpid(), os.getppid(), os.fstat(s.fileno()).st_ino, flush=True); sys.stdin.read()";

    private static void SkipUnlessReady()
    {
        NetworkNamespace.SkipUnlessRoot();
        if (!File.Exists(Python)) Assert.Skip($"needs {Python} (apt-get install python3)");
    }

    private static string PythonRealPath => File.ResolveLinkTarget(Python, returnFinalTarget: true)?.FullName ?? Python;

    private static async Task<long[]> ReadNumbersAsync(Process p)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await p.StandardOutput.ReadLineAsync(cts.Token)
            ?? throw new InvalidOperationException($"process {p.Id} ended without output: {await p.StandardError.ReadToEndAsync(cts.Token)}");
        return [.. line.Split(' ').Select(x => long.Parse(x, CultureInfo.InvariantCulture))];
    }

    [Fact]
    public async Task Finds_both_processes_sharing_a_listening_socket_after_fork()
    {
        SkipUnlessReady();
        await using var ns = await NetworkNamespace.CreateAsync("pf");
        var p = ns.Start(Python, "-c", ListenAndFork);
        var n = await ReadNumbersAsync(p);
        var (pid, ppid, child, inode) = ((int)n[0], (int)n[1], (int)n[2], (ulong)n[3]);
        Assert.Equal(p.Id, pid); // `ip netns exec` execs the program in place

        var index = SocketOwnerIndex.Scan();

        Assert.Equal([pid, child], index.PidsOf(inode));
        Assert.Equal(0, index.ProcessesDenied);
        Assert.True(index.ProcessesScanned > 2);

        var reader = new ProcessInfoReader();
        Assert.True(reader.TryRead(pid, out var info));
        Assert.Equal(pid, info.Pid);
        Assert.Equal(ppid, info.ParentPid);
        Assert.Equal(Environment.ProcessId, info.ParentPid);
        Assert.Equal("python3", info.Name);
        Assert.Equal(PythonRealPath, info.ExecutablePath);
        Assert.False(info.ExecutableDeleted);
        Assert.Equal($"{Python} -c '{ListenAndFork}'", info.CommandLine);
        Assert.Equal(0u, info.Uid);
        Assert.Equal("root", info.UserName);
        Assert.True(reader.TryRead(Environment.ProcessId, out var self));
        Assert.Equal(self.CgroupPath, info.CgroupPath); // inherited from us

        Assert.True(reader.TryRead(child, out var childInfo));
        Assert.Equal(pid, childInfo.ParentPid);
        Assert.True(childInfo.StartTimeTicks >= info.StartTimeTicks);
    }

    [Fact]
    public async Task Process_of_another_user_shows_uid_and_name_and_stays_visible_to_that_user_only()
    {
        SkipUnlessReady();
        await using var ns = await NetworkNamespace.CreateAsync("pf");
        var p = ns.Start("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", Python, "-c", Listen);
        var n = await ReadNumbersAsync(p);
        var (pid, inode) = ((int)n[0], (ulong)n[2]);

        Assert.Equal([pid], SocketOwnerIndex.Scan().PidsOf(inode));
        Assert.True(new ProcessInfoReader().TryRead(pid, out var info));
        Assert.Equal(65534u, info.Uid);
        Assert.Equal("nobody", info.UserName);
        Assert.Equal(PythonRealPath, info.ExecutablePath);
        Assert.Equal(Environment.ProcessId, info.ParentPid); // setpriv exec'd python in place

        // Seen with nobody's file access rights: its own process is readable, root's are not.
        var asNobody = FsUid.Run(65534, () => SocketOwnerIndex.Scan());
        Assert.Equal([pid], asNobody.PidsOf(inode));
        Assert.True(asNobody.ProcessesDenied > 0, "root's processes should be denied to nobody");
    }

    [Fact]
    public async Task Process_in_its_own_cgroup_gets_path_unit_and_container()
    {
        SkipUnlessReady();
        var mount = TestCgroup.FindV2Mount();
        if (mount is null) Assert.Skip("needs a cgroup2 mount");
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var docker = Directory.CreateTempSubdirectory("og-docker-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(docker, id));
            File.WriteAllText(Path.Combine(docker, id, "config.v2.json"), """{"ID":"x","Name":"/og-web"}""");
            await using var cgroup = TestCgroup.Create(mount, $"docker-{id}.scope");
            await using (var ns = await NetworkNamespace.CreateAsync("pf"))
            {
                var p = ns.Start(Python, "-c", Listen);
                var pid = (int)(await ReadNumbersAsync(p))[0];
                cgroup.Add(pid);

                Assert.True(new ProcessInfoReader("/proc", "/etc/passwd", docker).TryRead(pid, out var info));

                Assert.Equal(cgroup.CgroupPath, info.CgroupPath);
                Assert.Equal($"docker-{id}.scope", info.SystemdUnit);
                Assert.Equal(new ContainerRef("docker", id[..12], "og-web"), info.Container);
            } // the namespace ends the process before the cgroup is removed
        }
        finally
        {
            Directory.Delete(docker, recursive: true);
        }
    }

    [Fact]
    public async Task Exited_process_is_gone_from_index_and_reader()
    {
        SkipUnlessReady();
        await using var ns = await NetworkNamespace.CreateAsync("pf");
        var p = ns.Start(Python, "-c", "import os,socket; s=socket.socket(); s.bind((\"127.0.0.1\",0)); s.listen(); print(os.getpid(), os.fstat(s.fileno()).st_ino, flush=True)");
        var n = await ReadNumbersAsync(p);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Empty(SocketOwnerIndex.Scan().PidsOf((ulong)n[1]));
        Assert.False(new ProcessInfoReader().TryRead((int)n[0], out _));
        Assert.Null(new ExecutableHasher().TryHashProcessExecutable((int)n[0]));
    }

    [Fact]
    public async Task Zombie_has_a_name_but_no_executable_or_command_line()
    {
        SkipUnlessReady();
        await using var ns = await NetworkNamespace.CreateAsync("pf");
        var p = ns.Start(Python, "-c", "import os,sys,time; c=os.fork(); c==0 and os._exit(0); time.sleep(0.3); print(c, flush=True); sys.stdin.read()");
        var zombie = (int)(await ReadNumbersAsync(p))[0];

        Assert.True(new ProcessInfoReader().TryRead(zombie, out var info));
        Assert.Equal(p.Id, info.ParentPid);
        Assert.Equal("python3", info.Name);
        Assert.Null(info.ExecutablePath);
        Assert.Equal("", info.CommandLine);
    }

    [Fact]
    public async Task Deleted_executable_is_flagged_and_still_hashed_through_proc()
    {
        SkipUnlessReady();
        var dir = Directory.CreateTempSubdirectory("og-exe-").FullName;
        var copy = Path.Combine(dir, "og-sleep");
        File.Copy("/bin/sleep", copy);
        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(copy)));
        using var p = Process.Start(new ProcessStartInfo(copy, "30") { UseShellExecute = false })!;
        try
        {
            for (var i = 0; i < 100 && !(File.ResolveLinkTarget($"/proc/{p.Id}/exe", false)?.ToString() ?? "").Contains("og-sleep"); i++)
                await Task.Delay(20, TestContext.Current.CancellationToken);
            File.Delete(copy);

            Assert.True(new ProcessInfoReader().TryRead(p.Id, out var info));
            Assert.Equal(copy, info.ExecutablePath);
            Assert.True(info.ExecutableDeleted);
            Assert.Equal(expected, new ExecutableHasher().TryHashProcessExecutable(p.Id));
        }
        finally
        {
            p.Kill();
            await p.WaitForExitAsync(TestContext.Current.CancellationToken);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Scanning_while_processes_come_and_go_never_fails()
    {
        SkipUnlessReady();
        using var stop = new CancellationTokenSource();
        var churn = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var t = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
                await t.WaitForExitAsync();
            }
        }, TestContext.Current.CancellationToken);
        var reader = new ProcessInfoReader();
        for (var i = 0; i < 100; i++)
        {
            var index = SocketOwnerIndex.Scan();
            Assert.True(index.ProcessesScanned > 0);
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
                if (int.TryParse(Path.GetFileName(dir), out var pid))
                    reader.TryRead(pid, out _);
        }
        stop.Cancel();
        await churn;
    }

    [Fact]
    public async Task Ten_thousand_sockets_over_two_hundred_processes_are_all_attributed()
    {
        SkipUnlessReady();
        await using var ns = await NetworkNamespace.CreateAsync("pf");
        // 200 processes (the parent and 199 forked children), each binding 50 UDP sockets of its own.
        var p = ns.Start(Python, "-c", """
            import os, socket, sys
            def hold():
                return [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(50)]
            r, w = os.pipe()
            for i in range(199):
                if os.fork() == 0:
                    os.close(r); socks = hold(); [s.bind(("127.0.0.1", 0)) for s in socks]
                    os.write(w, b"x"); sys.stdin.read(); os._exit(0)
            os.close(w)
            socks = hold(); [s.bind(("127.0.0.1", 0)) for s in socks]
            got = 0
            while got < 199: got += len(os.read(r, 199))
            print(os.getpid(), flush=True)
            sys.stdin.read()
            """);
        var parent = (int)(await ReadNumbersAsync(p))[0];
        try
        {
            AssertAllAttributed(parent);
        }
        finally
        {
            // All 200 share the stdin pipe: closing it lets them exit by themselves, which is much
            // quicker than the fixture's kill-the-whole-tree walk (that stays as the safety net).
            p.StandardInput.Close();
            await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static void AssertAllAttributed(int parent)
    {
        SocketOwnerIndex.Scan(); // warm up
        var sw = Stopwatch.StartNew();
        var index = SocketOwnerIndex.Scan();
        sw.Stop();

        var children = File.ReadAllText($"/proc/{parent}/task/{parent}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.Equal(199, children.Count);
        // Owners per socket inode. A socket the test runner itself passed down (CI harnesses do hand
        // their children inherited sockets) is shared by all 200 processes; the test's own sockets
        // each have exactly one owner.
        var owners = new Dictionary<ulong, int>();
        foreach (var pid in children.Append(parent))
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
                if (new FileInfo(fd).LinkTarget is { } t && SocketOwnerIndex.TryParseSocketLink(System.Text.Encoding.ASCII.GetBytes(t), out var inode))
                {
                    Assert.Contains(pid, index.PidsOf(inode));
                    owners[inode] = owners.GetValueOrDefault(inode) + 1;
                }
        Assert.Equal(10_000, owners.Values.Count(n => n == 1));
        TestContext.Current.TestOutputHelper?.WriteLine($"scan of {index.ProcessesScanned} processes, {index.SocketCount} sockets: {sw.Elapsed.TotalMilliseconds:F1} ms");
        // No time bound here: performance is shown by benchmarks (docs/benchmarks.md), and a loaded CI host missed one.
    }
}
