using System.Runtime.InteropServices;

namespace Outgate.Linux.Bpf;

/// <summary>The program types we load (linux/bpf.h enum bpf_prog_type).</summary>
public enum BpfProgramType : uint
{
    RawTracepoint = 17,
    CgroupSockAddr = 18,
}

/// <summary>The attach points we use (linux/bpf.h enum bpf_attach_type).</summary>
public enum BpfAttachType : uint
{
    None = 0,
    CgroupInet4Connect = 10,
    CgroupInet6Connect = 11,
}

/// <summary>Loads programs through the verifier and attaches them (cgroup links, raw tracepoints).</summary>
public static unsafe class BpfProgram
{
    /// <summary>The license string the kernel sees; it decides which helpers a program may call.</summary>
    public const string License = "Dual MIT/GPL";

    private const int LogSize = 1 << 20;

    /// <summary>Loads <paramref name="code"/>; on refusal the exception carries the verifier's log.</summary>
    public static BpfHandle Load(BpfProgramType type, BpfAttachType expectedAttach, ReadOnlySpan<BpfInstruction> code, string name)
    {
        var license = System.Text.Encoding.ASCII.GetBytes(License + "\0");
        var fd = Load(type, expectedAttach, code, name, license, logLevel: 0, log: default);
        if (fd >= 0) return new BpfHandle((int)fd);
        var errno = Marshal.GetLastPInvokeError();
        // Load again with the log on to say why (the log costs time, so only after a refusal).
        var log = new byte[LogSize];
        Load(type, expectedAttach, code, name, license, logLevel: 1, log);
        var text = System.Text.Encoding.ASCII.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0))).Trim();
        throw new BpfException($"the kernel refused BPF program '{name}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})"
            + (text.Length > 0 ? $"; verifier: {LastLines(text, 6)}" : ""), errno, text);
    }

    private static long Load(BpfProgramType type, BpfAttachType expectedAttach, ReadOnlySpan<BpfInstruction> code, string name, byte[] license,
        uint logLevel, Span<byte> log)
    {
        fixed (BpfInstruction* insns = code)
        fixed (byte* lic = license)
        fixed (byte* logBuf = log)
        {
            var attr = new Interop.ProgLoadAttr
            {
                ProgType = (uint)type,
                InsnCount = (uint)code.Length,
                Insns = (ulong)insns,
                License = (ulong)lic,
                LogLevel = logLevel,
                LogSize = (uint)log.Length,
                LogBuf = (ulong)logBuf,
                ExpectedAttachType = (uint)expectedAttach,
            };
            Interop.CopyName(attr.ProgName, name);
            return Interop.Bpf(Interop.BPF_PROG_LOAD, ref attr);
        }
    }

    /// <summary>
    /// Attaches a cgroup program to the cgroup v2 directory <paramref name="cgroupPath"/> as a link: it runs next to
    /// programs others attached (multi-attach) and is detached when the returned handle is closed or its process dies.
    /// </summary>
    public static BpfHandle AttachCgroup(BpfHandle program, string cgroupPath, BpfAttachType attach)
    {
        ArgumentNullException.ThrowIfNull(program);
        var cgroup = Interop.open(cgroupPath, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC);
        if (cgroup < 0) throw BpfException.LastError($"opening cgroup {cgroupPath}");
        try
        {
            var attr = new Interop.LinkCreateAttr { ProgFd = program.Fd, TargetFd = (uint)cgroup, AttachType = (uint)attach };
            var fd = Interop.Bpf(Interop.BPF_LINK_CREATE, ref attr);
            if (fd < 0) throw BpfException.LastError($"attaching a BPF program to cgroup {cgroupPath} ({attach})");
            return new BpfHandle((int)fd);
        }
        finally
        {
            Interop.close(cgroup);
        }
    }

    /// <summary>Attaches a raw tracepoint program to the kernel tracepoint <paramref name="tracepoint"/> (e.g. sched_process_exec).</summary>
    public static BpfHandle AttachRawTracepoint(BpfHandle program, string tracepoint)
    {
        ArgumentNullException.ThrowIfNull(program);
        var name = System.Text.Encoding.ASCII.GetBytes(tracepoint + "\0");
        fixed (byte* n = name)
        {
            var attr = new Interop.RawTracepointAttr { Name = (ulong)n, ProgFd = program.Fd };
            var fd = Interop.Bpf(Interop.BPF_RAW_TRACEPOINT_OPEN, ref attr);
            if (fd < 0) throw BpfException.LastError($"attaching a BPF program to tracepoint {tracepoint}");
            return new BpfHandle((int)fd);
        }
    }

    private static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - count)));
    }
}
