namespace Outgate.Linux.Attribution;

/// <summary>How <see cref="ProcessAttributor"/> looks for processes.</summary>
public sealed record ProcessAttributorOptions
{
    /// <summary>Where procfs is mounted. Default /proc.</summary>
    public string ProcRoot { get; init; } = "/proc";

    /// <summary>passwd(5) file for uid → user name. Default /etc/passwd.</summary>
    public string PasswdPath { get; init; } = "/etc/passwd";

    /// <summary>group(5) file for gid → group name (same first three fields as passwd). Default /etc/group.</summary>
    public string GroupPath { get; init; } = "/etc/group";

    /// <summary>
    /// Least time between two full /proc scans; a miss inside it is answered uid-only. A full scan
    /// of a busy host reads every fd of every process (milliseconds), so it must not run per packet.
    /// Default 200 ms.
    /// </summary>
    public TimeSpan FullScanInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How many recently exec'd/forked processes are scanned first on a miss. Default 64.</summary>
    public int RecentProcessCount { get; init; } = 64;

    /// <summary>How long a process's record is kept after its exit event (queued packets outlive fast senders). Default 10 s.</summary>
    public TimeSpan ExitedProcessRetention { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When a packet's socket is already gone, a recently exec'd/forked process of the packet's
    /// uid that exited no longer ago than this (or is exiting now) is taken as its sender when it
    /// is the only one (<see cref="AttributionSource.RecentExit"/>). Zero turns the inference off. Default 1 s.
    /// </summary>
    public TimeSpan RecentExitWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cached socket inodes before the cache is dropped and rebuilt from misses. Default 65,536.</summary>
    public int MaxCachedSockets { get; init; } = 65_536;

    /// <summary>Hash executables (SHA-256, cached per file identity). Default true.</summary>
    public bool HashExecutables { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the bad value.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(ProcRoot);
        if (FullScanInterval < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(FullScanInterval), FullScanInterval, "must not be negative");
        if (RecentProcessCount is < 0 or > 4096) throw new ArgumentOutOfRangeException(nameof(RecentProcessCount), RecentProcessCount, "must be 0..4096");
        if (ExitedProcessRetention < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ExitedProcessRetention), ExitedProcessRetention, "must not be negative");
        if (RecentExitWindow < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RecentExitWindow), RecentExitWindow, "must not be negative");
        if (MaxCachedSockets < 1) throw new ArgumentOutOfRangeException(nameof(MaxCachedSockets), MaxCachedSockets, "must be at least 1");
    }
}
