namespace Outgate.Linux.ProcConnector;

/// <summary>enum proc_cn_event (linux/cn_proc.h): what happened to a process.</summary>
public enum ProcEventType : uint
{
    None = 0,
    Fork = 0x00000001,
    Exec = 0x00000002,
    Uid = 0x00000004,
    Gid = 0x00000040,
    Sid = 0x00000080,
    Ptrace = 0x00000100,
    Comm = 0x00000200,
    NonzeroExit = 0x20000000,
    Coredump = 0x40000000,
    Exit = 0x80000000,
}
