namespace Outgate.Linux.ProcFs;

/// <summary>The fields of /proc/&lt;pid&gt;/stat that attribution needs.</summary>
/// <param name="StartTimeTicks">Field 22: start time after boot in clock ticks; with the pid it identifies a process across pid reuse.</param>
public readonly record struct ProcStat(int Pid, string Comm, char State, int ParentPid, ulong StartTimeTicks);
