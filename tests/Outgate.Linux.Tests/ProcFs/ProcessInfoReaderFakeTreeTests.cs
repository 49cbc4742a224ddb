using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

public class ProcessInfoReaderFakeTreeTests
{
    private const string DockerId = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa99887766554433221100";

    private sealed class Fixture : IDisposable
    {
        public FakeProcTree Proc { get; } = new();
        public string Passwd { get; }
        public string Docker { get; }

        public Fixture()
        {
            Passwd = Path.Combine(Proc.Root, "passwd");
            File.WriteAllText(Passwd, "root:x:0:0::/root:/bin/sh\n# comment\nalice:x:1000:1000::/home/alice:/bin/sh\n");
            Docker = Directory.CreateDirectory(Path.Combine(Proc.Root, "docker")).FullName;
        }

        public ProcessInfoReader Reader() => new(Proc.Root, Passwd, Docker);

        public void Dispose() => Proc.Dispose();
    }

    [Fact]
    public void Reads_every_field_of_a_systemd_service_process()
    {
        using var f = new Fixture();
        f.Proc.WithFile(321, "stat", "321 (my (odd) daemon) S 1 321 321 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5555 0 0\n")
            .WithFile(321, "status", "Name:\tx\nUid:\t1000\t1000\t1000\t1000\n")
            .WithFile(321, "cmdline", "/opt/app/bin/d\0--name\0my app\0")
            .WithFile(321, "cgroup", "0::/system.slice/mydaemon.service\n")
            .WithLink(321, "exe", "/opt/app/bin/d");

        Assert.True(f.Reader().TryRead(321, out var info));

        Assert.Equal(new ProcessInfo(321, 1, "my (odd) daemon", "/opt/app/bin/d", "/opt/app/bin/d --name 'my app'",
            1000, "alice", "/system.slice/mydaemon.service", "mydaemon.service", null) { StartTimeTicks = 5555 }, info);
    }

    [Fact]
    public void Deleted_executable_is_flagged_and_the_suffix_stripped()
    {
        using var f = new Fixture();
        f.Proc.WithFile(5, "stat", "5 (x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n")
            .WithFile(5, "status", "Uid:\t0\t0\t0\t0\n")
            .WithLink(5, "exe", "/tmp/dropper (deleted)");

        Assert.True(f.Reader().TryRead(5, out var info));

        Assert.Equal("/tmp/dropper", info.ExecutablePath);
        Assert.True(info.ExecutableDeleted);
        Assert.Equal("root", info.UserName);
        Assert.Null(info.CommandLine); // no cmdline file: unreadable, not empty
        Assert.Null(info.CgroupPath);
    }

    [Fact]
    public void Docker_container_gets_short_id_and_name_from_its_config()
    {
        using var f = new Fixture();
        Directory.CreateDirectory(Path.Combine(f.Docker, DockerId));
        File.WriteAllText(Path.Combine(f.Docker, DockerId, "config.v2.json"), """{"ID":"x","Name":"/web-1"}""");
        f.Proc.WithFile(9, "stat", "9 (nginx) S 8 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n")
            .WithFile(9, "status", "Uid:\t101\t101\t101\t101\n")
            .WithFile(9, "cgroup", $"0::/system.slice/docker-{DockerId}.scope\n");

        Assert.True(f.Reader().TryRead(9, out var info));

        Assert.Equal(new ContainerRef("docker", "3f4e5d6c7b8a", "web-1"), info.Container);
        Assert.Equal("101", info.UserName); // not in passwd: the number
        Assert.Equal($"docker-{DockerId}.scope", info.SystemdUnit);
    }

    [Fact]
    public void Missing_status_falls_back_to_the_owner_of_the_pid_directory()
    {
        using var f = new Fixture();
        f.Proc.WithFile(7, "stat", "7 (x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");

        Assert.True(f.Reader().TryRead(7, out var info));
        Assert.Equal(OwnEffectiveUid(), info.Uid); // we created the directory

    }

    [Fact]
    public void Absent_or_unparsable_process_is_false()
    {
        using var f = new Fixture();
        f.Proc.WithFile(8, "stat", "garbage");
        var reader = f.Reader();
        Assert.False(reader.TryRead(8, out _));
        Assert.False(reader.TryRead(4242, out _));
        Assert.False(reader.TryRead(0, out _));
        Assert.False(reader.TryRead(-1, out _));
    }

    [Fact]
    public void Each_pid_is_read_once_per_reader()
    {
        using var f = new Fixture();
        f.Proc.WithFile(3, "stat", "3 (before) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n").WithFile(3, "status", "Uid:\t0\n");
        var reader = f.Reader();
        Assert.True(reader.TryRead(3, out var first));

        File.WriteAllText(Path.Combine(f.Proc.PidDir(3), "stat"), "3 (after) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");

        Assert.True(reader.TryRead(3, out var second));
        Assert.Same(first, second);
        Assert.True(f.Reader().TryRead(3, out var fresh));
        Assert.Equal("after", fresh.Name);
    }

    [Fact]
    public void Long_command_lines_are_read_whole()
    {
        using var f = new Fixture();
        var args = Enumerable.Range(0, 20_000).Select(i => $"arg{i}").ToArray();
        f.Proc.WithFile(4, "stat", "4 (x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n").WithFile(4, "status", "Uid:\t0\n")
            .WithFile(4, "cmdline", string.Join('\0', args) + "\0");

        Assert.True(f.Reader().TryRead(4, out var info));
        Assert.Equal(string.Join(' ', args), info.CommandLine);
    }

    [Fact]
    public void User_names_fall_back_to_the_number()
    {
        using var f = new Fixture();
        var reader = f.Reader();
        Assert.Equal("alice", reader.UserNameOf(1000));
        Assert.Equal("4711", reader.UserNameOf(4711));
        Assert.Equal("7", new ProcessInfoReader(f.Proc.Root, "/nonexistent/passwd", f.Docker).UserNameOf(7));
    }

    private static uint OwnEffectiveUid() =>
        uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
}
