namespace Outgate.Linux.Attribution;

/// <summary>
/// The result of attributing one queued packet: the process (when found) and how it was found.
/// A struct over a shared <see cref="ProcessRecord"/>, so a cache hit allocates nothing. The
/// properties mirror Outgate.Policy's ProcessFacts; the daemon maps one onto the other.
/// </summary>
public readonly record struct ProcessAttribution
{
    /// <summary>The owning process, or null (<see cref="AttributionSource.UidOnly"/>).</summary>
    public ProcessRecord? Process { get; init; }

    public AttributionSource Source { get; init; }

    /// <summary>The socket's inode from sock_diag, 0 when the socket was not found.</summary>
    public ulong SocketInode { get; init; }

    /// <summary>The socket's uid: NFQA_UID when the packet had it, else sock_diag's, else the process's.</summary>
    public uint Uid { get; init; }

    /// <summary>The socket's gid from NFQA_GID; 0 when the packet did not carry it.</summary>
    public uint Gid { get; init; }

    public string? UserName { get; init; }
    public string? GroupName { get; init; }

    /// <summary>Wall time spent attributing (sock_diag, cache, scans).</summary>
    public TimeSpan Elapsed { get; init; }

    public int Pid => Process?.Pid ?? 0;
    public string? ExecutablePath => Process?.ExecutablePath;
    public string? Sha256 => Process?.Sha256;
    public string? CommandLine => Process?.CommandLine;
    public string? ParentExecutablePath => Process?.ParentExecutablePath;
    public string? SystemdUnit => Process?.SystemdUnit;
    public string? CgroupPath => Process?.CgroupPath;
    public string? ContainerId => Process?.ContainerId;
    public string? ContainerName => Process?.ContainerName;

    public override string ToString() =>
        $"{Source} pid {Pid} {ExecutablePath ?? "?"} uid {Uid} inode {SocketInode} in {Elapsed.TotalMicroseconds:0} µs";
}
