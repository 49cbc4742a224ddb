namespace Outgate.Linux.Tests.ProcFs;

/// <summary>
/// A cgroup v2 directory of our own, <c>og-test-&lt;random&gt;</c> (optionally with a nested child),
/// under wherever cgroup2 is mounted (/sys/fs/cgroup on unified hosts, /sys/fs/cgroup/unified on
/// hybrid ones). Removed on dispose, also after a failure; end the processes put in it first.
/// </summary>
internal sealed class TestCgroup : IAsyncDisposable
{
    private readonly string _top;

    /// <summary>The cgroup processes are moved into, as a filesystem path.</summary>
    public string Directory { get; }

    /// <summary>The same cgroup as /proc/&lt;pid&gt;/cgroup shows it (relative to the v2 root).</summary>
    public string CgroupPath { get; }

    private TestCgroup(string top, string directory, string cgroupPath)
    {
        _top = top;
        Directory = directory;
        CgroupPath = cgroupPath;
    }

    /// <summary>The cgroup2 mount point, or null if there is none (skip the test).</summary>
    public static string? FindV2Mount()
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0 || !line.AsSpan(dash + 3).StartsWith("cgroup2 ")) continue;
            return line.Split(' ')[4];
        }
        return null;
    }

    public static TestCgroup Create(string mount, string? child = null)
    {
        var name = $"og-test-{Environment.ProcessId}-{Random.Shared.Next(0x10000, 0xFFFFF):x}";
        var top = System.IO.Directory.CreateDirectory(Path.Combine(mount, name)).FullName;
        var dir = child is null ? top : System.IO.Directory.CreateDirectory(Path.Combine(top, child)).FullName;
        return new TestCgroup(top, dir, child is null ? $"/{name}" : $"/{name}/{child}");
    }

    public void Add(int pid) => File.WriteAllText(Path.Combine(Directory, "cgroup.procs"), pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        // rmdir fails with EBUSY while an exiting process is still charged to the cgroup: retry briefly.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                if (Directory != _top && System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory);
                if (System.IO.Directory.Exists(_top)) System.IO.Directory.Delete(_top);
                return;
            }
            catch (IOException)
            {
                await Task.Delay(100);
            }
        }
    }
}
