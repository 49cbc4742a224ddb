namespace Outgate.Testing;

/// <summary>
/// A cgroup of our own, created under every writable hierarchy that names processes
/// (cgroup v2 root or the v1 `name=systemd` and unified mounts), so /proc/PID/cgroup shows
/// <see cref="RelativePath"/> for processes moved into it. Removed on dispose (processes must
/// have left or ended first: we move survivors back to the root).
/// </summary>
public sealed class CgroupSandbox : IDisposable
{
    private readonly List<string> _dirs = [];

    public string RelativePath { get; }

    private CgroupSandbox(string relativePath) => RelativePath = relativePath;

    public static IEnumerable<string> Hierarchies()
    {
        if (File.Exists("/sys/fs/cgroup/cgroup.controllers")) { yield return "/sys/fs/cgroup"; yield break; }
        if (Directory.Exists("/sys/fs/cgroup/unified")) yield return "/sys/fs/cgroup/unified";
        if (Directory.Exists("/sys/fs/cgroup/systemd")) yield return "/sys/fs/cgroup/systemd";
    }

    /// <summary>Creates e.g. "/og-test.slice/og-test-1a2b.service" (nested directories, like systemd lays them out).</summary>
    public static CgroupSandbox Create(string relativePath)
    {
        var box = new CgroupSandbox(relativePath);
        foreach (var root in Hierarchies())
        {
            var dir = root + relativePath;
            try
            {
                var parts = relativePath.Trim('/').Split('/');
                var current = root;
                foreach (var part in parts)
                {
                    current = Path.Combine(current, part);
                    if (!Directory.Exists(current)) { Directory.CreateDirectory(current); box._dirs.Add(current); }
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        if (box._dirs.Count == 0) { box.Dispose(); Assert.Skip("no writable cgroup hierarchy (/sys/fs/cgroup)"); }
        return box;
    }

    public void Add(int pid)
    {
        foreach (var root in Hierarchies())
        {
            var procs = root + RelativePath + "/cgroup.procs";
            if (File.Exists(procs)) File.WriteAllText(procs, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public void Dispose()
    {
        // Deepest first; a cgroup with members cannot be removed, so move leftovers to the root.
        foreach (var dir in Enumerable.Reverse(_dirs))
        {
            try
            {
                var procs = Path.Combine(dir, "cgroup.procs");
                if (File.Exists(procs))
                {
                    var root = Hierarchies().FirstOrDefault(dir.StartsWith) ?? "/sys/fs/cgroup";
                    foreach (var line in File.ReadAllLines(procs))
                        try { File.WriteAllText(Path.Combine(root, "cgroup.procs"), line); } catch (IOException) { }
                }
                Directory.Delete(dir);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
