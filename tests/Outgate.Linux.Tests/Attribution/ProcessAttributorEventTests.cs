using Outgate.Linux.Attribution;
using Outgate.Linux.ProcConnector;
using Outgate.Linux.SockDiag;
using Outgate.Linux.Tests.ProcFs;

namespace Outgate.Linux.Tests.Attribution;

/// <summary>The process side of <see cref="ProcessAttributor"/> over a fake /proc (no packets, no root).</summary>
public class ProcessAttributorEventTests
{
    private static ProcessAttributor Attributor(FakeProcTree proc, TimeSpan retention)
    {
        var passwd = Path.Combine(proc.Root, "passwd");
        File.WriteAllText(passwd, "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n");
        return new ProcessAttributor(new SockDiagClient(), new ProcessAttributorOptions
        {
            ProcRoot = proc.Root, PasswdPath = passwd, GroupPath = passwd, ExitedProcessRetention = retention, HashExecutables = false,
        });
    }

    private static void Process(FakeProcTree proc, int pid, int parent, string exe, string cgroup = "0::/user.slice/user-1000.slice/session-1.scope\n") =>
        proc.WithFile(pid, "stat", $"{pid} (x) S {parent} 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 77\n")
            .WithFile(pid, "status", "Uid:\t1000\t1000\t1000\t1000\n")
            .WithFile(pid, "cmdline", exe + "\0-v\0")
            .WithFile(pid, "cgroup", cgroup)
            .WithLink(pid, "exe", exe);

    [Fact]
    public void Exec_captures_the_process_with_its_parent_and_keeps_it_after_exit_for_the_retention()
    {
        using var proc = new FakeProcTree();
        Process(proc, 10, 1, "/usr/bin/bash");
        Process(proc, 11, 10, "/usr/bin/curl", "0::/system.slice/backup.service\n");
        using var attributor = Attributor(proc, TimeSpan.FromMilliseconds(200));

        attributor.Observe(new ProcEvent { Type = ProcEventType.Exec, ProcessId = 11, ProcessTgid = 11 });
        Assert.True(attributor.TryGetProcess(11, out var curl));
        Assert.Equal((11, 10, "/usr/bin/curl", "/usr/bin/curl -v", "/usr/bin/bash", 1000u, "alice", "backup.service", true),
            (curl.Pid, curl.ParentPid, curl.ExecutablePath, curl.CommandLine, curl.ParentExecutablePath, curl.Uid, curl.UserName, curl.SystemdUnit, curl.CapturedAtExec));

        Directory.Delete(proc.PidDir(11), recursive: true); // gone from /proc: the record stays
        attributor.Observe(new ProcEvent { Type = ProcEventType.Exit, ProcessId = 11, ProcessTgid = 11 });
        Assert.True(attributor.TryGetProcess(11, out _));

        Thread.Sleep(250);
        attributor.Observe(new ProcEvent { Type = ProcEventType.Comm, ProcessId = 1, ProcessTgid = 1 }); // any event prunes
        Assert.False(attributor.TryGetProcess(11, out _));
    }

    [Fact]
    public void Fork_gives_the_child_its_parents_record_and_threads_are_ignored()
    {
        using var proc = new FakeProcTree();
        Process(proc, 20, 1, "/usr/bin/python3");
        using var attributor = Attributor(proc, TimeSpan.FromSeconds(10));
        attributor.Observe(new ProcEvent { Type = ProcEventType.Exec, ProcessId = 20, ProcessTgid = 20 });

        attributor.Observe(new ProcEvent { Type = ProcEventType.Fork, ParentPid = 20, ParentTgid = 20, ChildPid = 21, ChildTgid = 21 });
        attributor.Observe(new ProcEvent { Type = ProcEventType.Fork, ParentPid = 20, ParentTgid = 20, ChildPid = 22, ChildTgid = 20 });

        Assert.True(attributor.TryGetProcess(21, out var child));
        Assert.Equal((21, 20, "/usr/bin/python3", "/usr/bin/python3"), (child.Pid, child.ParentPid, child.ExecutablePath, child.ParentExecutablePath));
        Assert.False(attributor.TryGetProcess(22, out _));
    }

    [Fact]
    public void A_reused_pid_keeps_its_new_record_when_the_old_ones_retention_ends()
    {
        using var proc = new FakeProcTree();
        Process(proc, 30, 1, "/usr/bin/old");
        using var attributor = Attributor(proc, TimeSpan.FromMilliseconds(100));
        attributor.Observe(new ProcEvent { Type = ProcEventType.Exec, ProcessId = 30, ProcessTgid = 30 });
        attributor.Observe(new ProcEvent { Type = ProcEventType.Exit, ProcessId = 30, ProcessTgid = 30 });

        Directory.Delete(proc.PidDir(30), recursive: true);
        Process(proc, 30, 1, "/usr/bin/new");
        attributor.Observe(new ProcEvent { Type = ProcEventType.Exec, ProcessId = 30, ProcessTgid = 30 });
        Thread.Sleep(150);
        attributor.Observe(new ProcEvent { Type = ProcEventType.Comm, ProcessId = 1, ProcessTgid = 1 });

        Assert.True(attributor.TryGetProcess(30, out var record));
        Assert.Equal("/usr/bin/new", record.ExecutablePath);
    }

    [Fact]
    public void Options_refuse_nonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessAttributorOptions { RecentProcessCount = -1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessAttributorOptions { MaxCachedSockets = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessAttributorOptions { FullScanInterval = TimeSpan.FromSeconds(-1) }.Validate());
        new ProcessAttributorOptions().Validate();
    }
}
