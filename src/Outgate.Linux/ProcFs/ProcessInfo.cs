namespace Outgate.Linux.ProcFs;

/// <summary>
/// What /proc tells about one process. Fields the caller may not read (another user's process
/// without root) or that vanished mid-read are null rather than failing the whole row.
/// </summary>
public sealed record ProcessInfo(
    int Pid,
    int ParentPid,
    string Name,
    string? ExecutablePath,
    string? CommandLine,
    uint Uid,
    string? UserName,
    string? CgroupPath,
    string? SystemdUnit,
    ContainerRef? Container)
{
    /// <summary>The executable was deleted or replaced after the process started (the kernel's " (deleted)" suffix, stripped from <see cref="ExecutablePath"/>).</summary>
    public bool ExecutableDeleted { get; init; }

    /// <summary>Start time after boot in clock ticks (/proc/&lt;pid&gt;/stat field 22); with <see cref="Pid"/> it tells a reused pid apart.</summary>
    public ulong StartTimeTicks { get; init; }
}

/// <summary>A container runtime and the container's id (and name when the runtime's state says it).</summary>
public sealed record ContainerRef(string Runtime, string Id, string? Name);
