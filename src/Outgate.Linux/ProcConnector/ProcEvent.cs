namespace Outgate.Linux.ProcConnector;

/// <summary>
/// One proc connector event. Which ids are set depends on <see cref="Type"/>: Fork fills
/// Parent* and Child*; Exec, Exit, Uid, Gid, Comm fill ProcessId/ProcessTgid; Exit also
/// ExitCode, ExitSignal and Parent*. Pids are thread ids, tgids process ids.
/// </summary>
public readonly record struct ProcEvent
{
    public ProcEventType Type { get; init; }
    public uint Cpu { get; init; }
    /// <summary>Kernel time of the event (ns since boot, CLOCK_MONOTONIC).</summary>
    public ulong TimestampNanoseconds { get; init; }
    public int ProcessId { get; init; }
    public int ProcessTgid { get; init; }
    public int ParentPid { get; init; }
    public int ParentTgid { get; init; }
    public int ChildPid { get; init; }
    public int ChildTgid { get; init; }
    /// <summary>Exit: the wait status code (exit_code); Uid/Gid: the new real id.</summary>
    public uint ExitCode { get; init; }
    /// <summary>Exit: the signal to send the parent (usually 17, SIGCHLD); Uid/Gid: the new effective id.</summary>
    public uint ExitSignal { get; init; }
    /// <summary>Acknowledgement (Type None): the errno of our subscribe request, 0 for success.</summary>
    public uint AckError { get; init; }
}
