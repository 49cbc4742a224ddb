namespace Outgate.Policy;

/// <summary>
/// What attribution found out about the program behind a connection; null where unknown (the
/// process exited, no permission). <see cref="Sha256"/> is lower-case hex.
/// </summary>
public sealed record ProcessFacts
{
    public int Pid { get; init; }
    public string? ExecutablePath { get; init; }
    public string? Sha256 { get; init; }
    public string? CommandLine { get; init; }
    public string? ParentExecutablePath { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public string? UserName { get; init; }
    public string? GroupName { get; init; }
    public string? SystemdUnit { get; init; }
    public string? CgroupPath { get; init; }
    public string? ContainerId { get; init; }
    public string? ContainerName { get; init; }

    /// <summary>
    /// When these facts were read from /proc, as a monotonic <see cref="System.Diagnostics.Stopwatch"/> timestamp taken
    /// before the read; 0 when unknown. An exec after it may have made them another program's.
    /// </summary>
    public long ObservedAt { get; init; }
}
