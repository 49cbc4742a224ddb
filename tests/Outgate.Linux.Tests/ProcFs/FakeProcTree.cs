namespace Outgate.Linux.Tests.ProcFs;

/// <summary>A throwaway directory shaped like /proc (pid dirs, fd symlinks, stat files) for tests that pass a procRoot.</summary>
internal sealed class FakeProcTree : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("og-fakeproc-").FullName;

    public string PidDir(int pid) => Path.Combine(Root, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Creates /proc/&lt;pid&gt;/fd with the given fd → link target symlinks.</summary>
    public FakeProcTree WithFds(int pid, params (int Fd, string Target)[] fds)
    {
        var fdDir = Directory.CreateDirectory(Path.Combine(PidDir(pid), "fd")).FullName;
        foreach (var (fd, target) in fds)
            File.CreateSymbolicLink(Path.Combine(fdDir, fd.ToString(System.Globalization.CultureInfo.InvariantCulture)), target);
        return this;
    }

    public FakeProcTree WithFile(int pid, string name, string content)
    {
        Directory.CreateDirectory(PidDir(pid));
        File.WriteAllText(Path.Combine(PidDir(pid), name), content);
        return this;
    }

    public FakeProcTree WithLink(int pid, string name, string target)
    {
        Directory.CreateDirectory(PidDir(pid));
        File.CreateSymbolicLink(Path.Combine(PidDir(pid), name), target);
        return this;
    }

    public static void Chmod(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }

    public void Dispose()
    {
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(Root, "*", SearchOption.AllDirectories))
                Chmod(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
