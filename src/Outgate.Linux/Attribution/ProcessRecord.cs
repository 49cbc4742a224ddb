namespace Outgate.Linux.Attribution;

/// <summary>
/// What we know about one process, captured once (at exec time when the proc connector told us,
/// else at first sight) and kept a while after it exits: a packet may still be waiting in the
/// queue when a short-lived sender is already gone from /proc. Immutable; shared between threads.
/// </summary>
public sealed record ProcessRecord
{
    public required int Pid { get; init; }
    public int ParentPid { get; init; }
    /// <summary>Executable path (the kernel's " (deleted)" suffix stripped), null when unreadable.</summary>
    public string? ExecutablePath { get; init; }
    /// <summary>Lower-case hex SHA-256 of the file the process runs (read through /proc/PID/exe), null when unreadable.</summary>
    public string? Sha256 { get; init; }
    public string? CommandLine { get; init; }
    /// <summary>The parent's executable path at the time this record was made.</summary>
    public string? ParentExecutablePath { get; init; }
    /// <summary>Real uid of the process.</summary>
    public uint Uid { get; init; }
    public string? UserName { get; init; }
    public string? CgroupPath { get; init; }
    public string? SystemdUnit { get; init; }
    public string? ContainerId { get; init; }
    public string? ContainerName { get; init; }
    /// <summary>Start time after boot in clock ticks; with the pid it tells a reused pid apart.</summary>
    public ulong StartTimeTicks { get; init; }
    /// <summary>Monotonic <see cref="System.Diagnostics.Stopwatch"/> timestamp taken before /proc was read for this record (a fork copy keeps its parent's).</summary>
    public long ObservedAt { get; init; }
    /// <summary>True when the record was made on the proc connector's exec (or fork) event.</summary>
    public bool CapturedAtExec { get; init; }
}
