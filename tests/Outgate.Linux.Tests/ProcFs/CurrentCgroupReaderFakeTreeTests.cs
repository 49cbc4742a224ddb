using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

/// <summary><see cref="CurrentCgroupReader"/> over a fake /proc: re-read per call, one string per change.</summary>
public class CurrentCgroupReaderFakeTreeTests
{
    [Fact]
    public void Rereads_the_file_each_time_and_reuses_the_string_while_the_path_is_unchanged()
    {
        using var proc = new FakeProcTree().WithFile(50, "cgroup", "0::/user.slice/user-1000.slice/session-1.scope\n");
        var reader = new CurrentCgroupReader(proc.Root);

        Assert.True(reader.TryRead(50, out var first));
        Assert.Equal("/user.slice/user-1000.slice/session-1.scope", first);
        Assert.True(reader.TryRead(50, out var again));
        Assert.Same(first, again);

        // Moved (systemd-run --scope, a container runtime): the new path at once.
        File.WriteAllText(Path.Combine(proc.PidDir(50), "cgroup"), "0::/system.slice/backup.service\n");
        Assert.True(reader.TryRead(50, out var moved));
        Assert.Equal("/system.slice/backup.service", moved);
    }

    [Fact]
    public void Chooses_like_the_parser_on_hybrid_hosts_and_reads_long_files()
    {
        var hybrid = "12:memory:/docker/abc\n1:name=systemd:/system.slice/docker-abc.scope\n0::/\n";
        var longFile = string.Concat(Enumerable.Range(2, 400).Select(i => $"{i}:ctl{i}:/\n")) + "0::/system.slice/long.service\n";
        using var proc = new FakeProcTree().WithFile(60, "cgroup", hybrid).WithFile(61, "cgroup", longFile);
        var reader = new CurrentCgroupReader(proc.Root);

        Assert.True(reader.TryRead(60, out var path));
        Assert.True(CgroupFileParser.TrySelectPath(System.Text.Encoding.UTF8.GetBytes(hybrid), out string expected));
        Assert.Equal(expected, path);
        Assert.True(longFile.Length > 4096);
        Assert.True(reader.TryRead(61, out var longPath));
        Assert.Equal("/system.slice/long.service", longPath);
    }

    [Fact]
    public void With_a_max_age_a_recent_answer_is_reused_and_a_move_is_seen_once_it_expires()
    {
        using var proc = new FakeProcTree().WithFile(55, "cgroup", "0::/a.slice/one.scope\n");
        var reader = new CurrentCgroupReader(proc.Root, maxAge: TimeSpan.FromHours(1));
        Assert.True(reader.TryRead(55, out var first));
        File.WriteAllText(Path.Combine(proc.PidDir(55), "cgroup"), "0::/b.slice/two.scope\n");
        Assert.True(reader.TryRead(55, out var cached));
        Assert.Equal("/a.slice/one.scope", cached); // within the max age: not re-read

        var always = new CurrentCgroupReader(proc.Root); // zero: every call reads
        Assert.True(always.TryRead(55, out var fresh));
        Assert.Equal("/b.slice/two.scope", fresh);
        reader.Forget(55);
        Assert.True(reader.TryRead(55, out var afterForget));
        Assert.Equal("/b.slice/two.scope", afterForget);
    }

    [Fact]
    public void A_gone_process_or_an_unparsable_file_is_false()
    {
        using var proc = new FakeProcTree().WithFile(70, "cgroup", "garbage\n");
        var reader = new CurrentCgroupReader(proc.Root);
        Assert.False(reader.TryRead(70, out _));
        Assert.False(reader.TryRead(71, out _));
        Assert.False(reader.TryRead(0, out _));
    }

    [Fact]
    public void Reads_this_process_like_the_general_reader()
    {
        if (!File.Exists("/proc/self/cgroup")) Assert.Skip("needs procfs");
        var reader = new CurrentCgroupReader();
        Assert.True(reader.TryRead(Environment.ProcessId, out var path));
        Assert.True(CgroupFileParser.TrySelectPath(File.ReadAllBytes("/proc/self/cgroup"), out string expected));
        Assert.Equal(expected, path);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) reader.TryRead(Environment.ProcessId, out _);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024, "an unchanged cgroup should not allocate per read");
    }
}
