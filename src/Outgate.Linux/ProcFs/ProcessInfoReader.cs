using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Outgate.Linux.ProcFs;

/// <summary>
/// Reads what /proc says about processes, once per pid per instance (a new instance sees fresh
/// data; use one per listing or per refresh). Thread-safe.
/// </summary>
/// <remarks>
/// Only /proc/&lt;pid&gt;/stat is required: a process that is gone (or a pid that never existed)
/// makes <see cref="TryRead"/> return false. Everything else that cannot be read — another
/// user's /proc/&lt;pid&gt;/exe without root, a file that vanished mid-read — comes back null.
/// </remarks>
public sealed class ProcessInfoReader
{
    private const string DeletedSuffix = " (deleted)";

    private readonly string _procRoot;
    private readonly string _passwdPath;
    private readonly string _dockerContainersDir;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, ProcessInfo?> _cache = [];
    private readonly Dictionary<string, string?> _dockerNames = new(StringComparer.Ordinal);
    private Dictionary<uint, string>? _users;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);

    public ProcessInfoReader(string procRoot = "/proc")
        : this(procRoot, "/etc/passwd", "/var/lib/docker/containers")
    {
    }

    /// <param name="procRoot">Where procfs is mounted (a fake tree in tests).</param>
    /// <param name="passwdPath">passwd(5) file for uid → user name; users only known to NSS (LDAP, sssd) show as their number.</param>
    /// <param name="dockerContainersDir">docker's per-container state, for container names.</param>
    public ProcessInfoReader(string procRoot, string passwdPath, string dockerContainersDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(procRoot);
        ArgumentNullException.ThrowIfNull(passwdPath);
        ArgumentNullException.ThrowIfNull(dockerContainersDir);
        _procRoot = procRoot.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/";
        _passwdPath = passwdPath;
        _dockerContainersDir = dockerContainersDir;
    }

    /// <summary>Reads (or returns the cached) information about <paramref name="pid"/>; false if the process does not exist (any more).</summary>
    public bool TryRead(int pid, [MaybeNullWhen(false)] out ProcessInfo info)
    {
        lock (_lock)
        {
            if (!_cache.TryGetValue(pid, out var cached))
            {
                cached = pid > 0 ? ReadUncached(pid) : null;
                _cache[pid] = cached;
            }
            info = cached;
            return info is not null;
        }
    }

    /// <summary>
    /// Reads <paramref name="pid"/> from /proc now, ignoring and replacing the cached entry: for
    /// long-lived callers that learn from the proc connector that a pid was exec'd or reused.
    /// </summary>
    public bool TryReadFresh(int pid, [MaybeNullWhen(false)] out ProcessInfo info)
    {
        lock (_lock)
        {
            info = pid > 0 ? ReadUncached(pid) : null;
            _cache.Remove(pid); // a long-lived reader must not grow with every pid it ever saw
            return info is not null;
        }
    }

    /// <summary>The user name for <paramref name="uid"/> from the passwd file, or the number as text.</summary>
    public string UserNameOf(uint uid)
    {
        lock (_lock)
        {
            _users ??= LoadUsers(_passwdPath);
            return _users.TryGetValue(uid, out var name) ? name : uid.ToString(CultureInfo.InvariantCulture);
        }
    }

    private ProcessInfo? ReadUncached(int pid)
    {
        var dir = $"{_procRoot}/{pid.ToString(CultureInfo.InvariantCulture)}/";

        if (!ProcFsFile.TryReadAll(dir + "stat", ref _buffer, out var length, out _) ||
            !ProcStatParser.TryParse(_buffer.AsSpan(0, length), out var stat))
            return null;

        uint uid;
        if (ProcFsFile.TryReadAll(dir + "status", ref _buffer, out length, out _) &&
            ProcStatusParser.TryParseRealUid(_buffer.AsSpan(0, length), out var realUid))
            uid = realUid;
        else if (Interop.StatX(Interop.AT_FDCWD, dir, 0, Interop.STATX_BASIC_STATS, out var st) == 0)
            uid = st.stx_uid; // the owner of /proc/<pid> is its effective uid: the best we have
        else
            return null; // gone between stat and status

        string? exe = null;
        var deleted = false;
        if (ProcFsFile.TryReadLink(dir + "exe", out var target, out _) && target is not null)
        {
            deleted = target.EndsWith(DeletedSuffix, StringComparison.Ordinal);
            exe = deleted ? target[..^DeletedSuffix.Length] : target;
        }

        string? cmdline = ProcFsFile.TryReadAll(dir + "cmdline", ref _buffer, out length, out _)
            ? CommandLineFormatter.Format(_buffer.AsSpan(0, length))
            : null;

        string? cgroupPath = null, unit = null;
        ContainerRef? container = null;
        if (ProcFsFile.TryReadAll(dir + "cgroup", ref _buffer, out length, out _) &&
            CgroupFileParser.TrySelectPath(_buffer.AsSpan(0, length), out var path))
        {
            cgroupPath = path;
            if (CgroupPathParser.TryGetSystemdUnit(path, out var u)) unit = u;
            if (CgroupPathParser.TryGetContainer(path, out var c))
                container = new ContainerRef(c.Runtime, c.ShortId, c.Name ?? LookUpContainerName(c));
        }

        _users ??= LoadUsers(_passwdPath);
        var userName = _users.TryGetValue(uid, out var name) ? name : uid.ToString(CultureInfo.InvariantCulture);

        return new ProcessInfo(pid, stat.ParentPid, stat.Comm, exe, cmdline, uid, userName, cgroupPath, unit, container)
        {
            ExecutableDeleted = deleted,
            StartTimeTicks = stat.StartTimeTicks,
        };
    }

    private string? LookUpContainerName(CgroupContainer container)
    {
        if (container.Runtime != CgroupContainer.Docker) return null; // podman/containerd keep names in databases: not worth it here
        if (_dockerNames.TryGetValue(container.FullId, out var known)) return known;
        string? name = null;
        if (ProcFsFile.TryReadAll($"{_dockerContainersDir}/{container.FullId}/config.v2.json", ref _buffer, out var length, out _) &&
            DockerConfigParser.TryGetName(_buffer.AsSpan(0, length), out var n))
            name = n;
        _dockerNames[container.FullId] = name;
        return name;
    }

    private Dictionary<uint, string> LoadUsers(string passwdPath)
    {
        if (!ProcFsFile.TryReadAll(passwdPath, ref _buffer, out var length, out _)) return [];
        return PasswdFileParser.Parse(Encoding.UTF8.GetString(_buffer, 0, length));
    }
}
