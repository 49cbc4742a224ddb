using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using static Outgate.Linux.Bpf.BpfAssembler;
using static Outgate.Linux.Bpf.BpfOp;

namespace Outgate.Linux.Bpf;

/// <summary>
/// The kernel half of the decision cache: eBPF programs on the cgroup v2 root's connect hooks that label a TCP socket
/// at connect(2) with the verdict the daemon already gave that program for that destination, so the connection skips
/// the queue. Only in one network namespace (its cookie is compiled into the programs), only for processes the daemon
/// registered (<see cref="SetProcess"/>), only when the socket has no mark of its own. Every check fails towards the
/// queue, never towards a verdict:
/// <list type="bullet">
/// <item>a process entry holds the program identity's number, its uid/gid and cgroup, and the time of its last exec
/// as a tracepoint recorded it; an exec after the daemon looked at the process, a setuid or a cgroup move voids it;</item>
/// <item>a verdict entry holds its expiry, the policy generation (<see cref="Invalidate"/> voids all at once) and the
/// DNS-names version of the destination (<see cref="SetNamesVersion"/> voids a destination's entries when a lookup
/// gives it new names);</item>
/// <item>a socket that arrives with our <see cref="KernelMark"/> bit already set (setting a mark takes CAP_NET_ADMIN or CAP_NET_RAW)
/// has our bits cleared, so it is queued.</item>
/// </list>
/// Processes are keyed by their pid in the initial pid namespace. Closing this object detaches everything.
/// </summary>
public sealed class ConnectVerdictCache : IDisposable
{
    /// <summary>The mark bit meaning "labelled at connect by the kernel cache": the queue rules let such SYNs pass.</summary>
    public const uint KernelMark = 0x0010_0000;

    /// <summary>Our mark bits a socket may not bring along: the kernel cache's, the queue's and the verdicts'.</summary>
    public const uint OwnedBits = 0x00F0_0000;

    private const int HelperMapLookup = 1, HelperMapUpdate = 2, HelperMapDelete = 3, HelperKtime = 5, HelperPidTgid = 14,
        HelperUidGid = 15, HelperSetSockOpt = 49, HelperCgroupId = 80, HelperNetnsCookie = 122;

    private const int SockAddrType = 32, SockAddrUserIp4 = 4, SockAddrUserIp6 = 8, SockAddrUserPort = 24, SockAddrSk = 64, SockMark = 16;
    private const int SOCK_STREAM = 1, SO_MARK = 36;

    private readonly BpfMap _processes, _execs, _verdicts, _names, _config, _stats;
    private readonly List<BpfHandle> _programs = [];
    private readonly List<BpfHandle> _links = [];
    private readonly Lock _namesLock = new();
    private readonly int _cpus;
    private uint _generation;

    private ConnectVerdictCache(BpfMap processes, BpfMap execs, BpfMap verdicts, BpfMap names, BpfMap config, BpfMap stats)
    {
        (_processes, _execs, _verdicts, _names, _config, _stats) = (processes, execs, verdicts, names, config, stats);
        _cpus = BpfMap.PossibleCpus();
    }

    /// <summary>The network namespace served, as the kernel's cookie.</summary>
    public ulong NetnsCookie { get; private set; }

    /// <summary>Where the programs are attached.</summary>
    public string CgroupRoot { get; private set; } = "";

    /// <summary>
    /// Loads and attaches the programs for the namespace whose cookie is <paramref name="netnsCookie"/>
    /// (<see cref="NetnsCookieOfCurrentNamespace"/>). Throws <see cref="BpfException"/> when the kernel refuses (no
    /// CAP_BPF, no cgroup v2, too old); nothing stays attached then.
    /// </summary>
    public static ConnectVerdictCache Open(ulong netnsCookie, string? cgroupRoot = null, uint maxVerdicts = 16_384, uint maxProcesses = 65_536)
    {
        if (Stopwatch.Frequency != 1_000_000_000)
            throw new BpfException($"the monotonic clock ticks at {Stopwatch.Frequency} Hz here, not in nanoseconds like bpf_ktime_get_ns");
        var root = cgroupRoot ?? FindCgroup2Root() ?? throw new BpfException("no cgroup v2 hierarchy is mounted (looked in /proc/self/mountinfo)");
        var pidMax = ReadPidMax();
        var maps = new List<BpfMap>();
        try
        {
            var processes = Track(maps, BpfMap.Create(BpfMapType.Hash, "og_procs", 4, System.Runtime.CompilerServices.Unsafe.SizeOf<ProcessEntry>(), maxProcesses, BpfMap.NoPrealloc));
            // One entry per live process at most (deleted at exit): sized for every pid so an exec is never unrecorded.
            var execs = Track(maps, BpfMap.Create(BpfMapType.Hash, "og_execs", 4, 8, pidMax, BpfMap.NoPrealloc));
            var verdicts = Track(maps, BpfMap.Create(BpfMapType.LruHash, "og_verdicts", System.Runtime.CompilerServices.Unsafe.SizeOf<VerdictKey>(), System.Runtime.CompilerServices.Unsafe.SizeOf<VerdictEntry>(), maxVerdicts));
            var names = Track(maps, BpfMap.Create(BpfMapType.Hash, "og_names", 16, 8, maxVerdicts * 4, BpfMap.NoPrealloc));
            var config = Track(maps, BpfMap.Create(BpfMapType.Array, "og_config", 4, 8, 1));
            var stats = Track(maps, BpfMap.Create(BpfMapType.PerCpuArray, "og_stats", 4, 8, 1));
            var cache = new ConnectVerdictCache(processes, execs, verdicts, names, config, stats) { NetnsCookie = netnsCookie, CgroupRoot = root };
            maps.Clear(); // owned by the cache from here
            try
            {
                cache._generation = 1;
                cache._config.Update(0u, (ulong)cache._generation);
                // The exec/exit tracepoints first: from the moment the connect hooks run, every exec is stamped.
                cache.Attach(BpfProgramType.RawTracepoint, BpfAttachType.None, cache.ExecProgram(), "og_exec", p => BpfProgram.AttachRawTracepoint(p, "sched_process_exec"));
                cache.Attach(BpfProgramType.RawTracepoint, BpfAttachType.None, cache.ExitProgram(), "og_exit", p => BpfProgram.AttachRawTracepoint(p, "sched_process_exit"));
                cache.Attach(BpfProgramType.CgroupSockAddr, BpfAttachType.CgroupInet4Connect, cache.ConnectProgram(AddressFamily.InterNetwork), "og_connect4",
                    p => BpfProgram.AttachCgroup(p, root, BpfAttachType.CgroupInet4Connect));
                cache.Attach(BpfProgramType.CgroupSockAddr, BpfAttachType.CgroupInet6Connect, cache.ConnectProgram(AddressFamily.InterNetworkV6), "og_connect6",
                    p => BpfProgram.AttachCgroup(p, root, BpfAttachType.CgroupInet6Connect));
                return cache;
            }
            catch
            {
                cache.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var map in maps) map.Dispose();
        }
    }

    /// <summary>Connections the kernel labelled since <see cref="Open"/>, summed over CPUs.</summary>
    public ulong Hits
    {
        get
        {
            Span<ulong> perCpu = stackalloc ulong[_cpus];
            if (!_stats.TryLookupPerCpu(0u, perCpu)) return 0;
            ulong sum = 0;
            foreach (var v in perCpu) sum += v;
            return sum;
        }
    }

    /// <summary>The kernel's time of <paramref name="tgid"/>'s last exec since <see cref="Open"/> (bpf_ktime_get_ns), 0 when none.</summary>
    public ulong ExecStamp(int tgid) => _execs.TryLookup((uint)tgid, out ulong stamp) ? stamp : 0;

    /// <summary>
    /// Registers a process as program <paramref name="appId"/>. <paramref name="observedAt"/> is the monotonic time
    /// (<see cref="Stopwatch.GetTimestamp"/>, ns) taken before its facts were read from /proc: if it exec'd after that,
    /// the facts may be the old program's and nothing is registered. False when not registered.
    /// </summary>
    public bool SetProcess(int tgid, uint appId, uint uid, uint gid, ulong cgroupId, long observedAt)
    {
        if (tgid <= 0 || observedAt <= 0) return false;
        var stamp = ExecStamp(tgid);
        if ((ulong)observedAt <= stamp) return false;
        var entry = new ProcessEntry { AppId = appId, UidGid = ((ulong)gid << 32) | uid, CgroupId = cgroupId, ExecStamp = stamp };
        return _processes.TryUpdate((uint)tgid, entry);
    }

    public bool ForgetProcess(int tgid) => _processes.Delete((uint)tgid);

    /// <summary>
    /// Caches a verdict for program <paramref name="appId"/> connecting over TCP to <paramref name="destination"/>:
    /// its sockets get <paramref name="mark"/> (which must include <see cref="KernelMark"/>) until <paramref name="lifetime"/>
    /// passes, the policy changes or the destination's names do (<paramref name="namesVersion"/>: the version the
    /// decision was made with; <paramref name="namesVersionNow"/> reads the current one, under the lock that orders it
    /// with <see cref="SetNamesVersion"/>, so a decision on names that changed meanwhile is not cached).
    /// </summary>
    public bool SetVerdict(uint appId, IPEndPoint destination, uint mark, TimeSpan lifetime, long namesVersion, Func<long>? namesVersionNow = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if ((mark & KernelMark) == 0) throw new ArgumentException($"a kernel-cache mark must carry 0x{KernelMark:x8}", nameof(mark));
        if (lifetime <= TimeSpan.Zero || !TryKeyOf(appId, destination, out var key)) return false;
        lock (_namesLock)
        {
            if (namesVersionNow is not null && namesVersionNow() != namesVersion) return false;
            // The destination's names version as the kernel sees it: written now if it has none yet.
            var address = AddressKey.Of(destination.Address);
            if (!_names.TryLookup(address, out ulong current))
            {
                if (!_names.TryUpdate(address, (ulong)namesVersion)) return false;
                current = (ulong)namesVersion;
            }
            if (current != (ulong)namesVersion) return false;
            var entry = new VerdictEntry
            {
                ExpiresAt = (ulong)(Stopwatch.GetTimestamp() + lifetime.Ticks * 100),
                Mark = mark,
                Generation = Volatile.Read(ref _generation),
                NamesVersion = (ulong)namesVersion,
            };
            return _verdicts.TryUpdate(key, entry);
        }
    }

    /// <summary>A DNS answer gave <paramref name="address"/> new names: its cached verdicts no longer hold.</summary>
    public void SetNamesVersion(IPAddress address, long namesVersion)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = AddressKey.Of(address);
        lock (_namesLock)
        {
            if (!_names.TryLookup(key, out ulong _)) return; // no verdict depends on it
            if (!_names.TryUpdate(key, (ulong)namesVersion)) Invalidate();
        }
    }

    /// <summary>Voids every cached verdict (policy reload, mode switch, rule expiry).</summary>
    public void Invalidate()
    {
        var next = Interlocked.Increment(ref _generation);
        _config.Update(0u, (ulong)next);
    }

    public void Dispose()
    {
        foreach (var link in _links) link.Dispose();
        foreach (var program in _programs) program.Dispose();
        foreach (var map in (BpfMap[])[_processes, _execs, _verdicts, _names, _config, _stats]) map.Dispose();
    }

    /// <summary>The cookie of the calling thread's network namespace (SO_NETNS_COOKIE of a socket made in it).</summary>
    public static unsafe ulong NetnsCookieOfCurrentNamespace()
    {
        var fd = Interop.socket(1 /* AF_UNIX */, 2 /* SOCK_DGRAM */ | Interop.O_CLOEXEC, 0);
        if (fd < 0) throw BpfException.LastError("creating a socket to read the namespace cookie");
        try
        {
            ulong cookie = 0;
            uint size = sizeof(ulong);
            if (Interop.getsockopt(fd, Interop.SOL_SOCKET, Interop.SO_NETNS_COOKIE, &cookie, &size) != 0)
                throw BpfException.LastError("reading the network namespace cookie (SO_NETNS_COOKIE, Linux 5.14+)");
            return cookie;
        }
        finally
        {
            Interop.close(fd);
        }
    }

    /// <summary>The cgroup v2 id of a cgroup directory (its inode number), as bpf_get_current_cgroup_id gives it.</summary>
    public static ulong CgroupIdOf(string cgroupRoot, string cgroupPath)
    {
        ArgumentNullException.ThrowIfNull(cgroupPath);
        var path = Path.Join(cgroupRoot, cgroupPath.TrimStart('/'));
        return InodeOf(path);
    }

    private static ulong InodeOf(string path) =>
        ProcFs.Interop.StatX(ProcFs.Interop.AT_FDCWD, path, 0, ProcFs.Interop.STATX_BASIC_STATS, out var st) == 0 ? st.stx_ino : 0;

    private static BpfMap Track(List<BpfMap> maps, BpfMap map)
    {
        maps.Add(map);
        return map;
    }

    private void Attach(BpfProgramType type, BpfAttachType attachType, BpfInstruction[] code, string name, Func<BpfHandle, BpfHandle> attach)
    {
        var program = BpfProgram.Load(type, attachType, code, name);
        _programs.Add(program);
        _links.Add(attach(program));
    }

    /// <summary>sched_process_exec: stamp the process with the time and drop its registration.</summary>
    private BpfInstruction[] ExecProgram()
    {
        var a = new BpfAssembler();
        a.Call(HelperPidTgid).RshImm(R0, 32).Store(W, Fp, -4, R0);
        a.LoadMap(R1, _processes).Mov64(R2, Fp).AddImm(R2, -4).Call(HelperMapDelete);
        a.Call(HelperKtime).Store(DW, Fp, -16, R0);
        a.LoadMap(R1, _execs).Mov64(R2, Fp).AddImm(R2, -4).Mov64(R3, Fp).AddImm(R3, -16).MovImm(R4, 0).Call(HelperMapUpdate);
        return a.MovImm(R0, 0).Exit().Build();
    }

    /// <summary>sched_process_exit of a thread-group leader: forget the process (its pid may be reused).</summary>
    private BpfInstruction[] ExitProgram()
    {
        var a = new BpfAssembler();
        a.Call(HelperPidTgid).Mov64(R6, R0).RshImm(R6, 32).Mov32(R0, R0).JumpIfReg(Jne, R0, R6, "out");
        a.Store(W, Fp, -4, R6);
        a.LoadMap(R1, _processes).Mov64(R2, Fp).AddImm(R2, -4).Call(HelperMapDelete);
        a.LoadMap(R1, _execs).Mov64(R2, Fp).AddImm(R2, -4).Call(HelperMapDelete);
        return a.Label("out").MovImm(R0, 0).Exit().Build();
    }

    /// <summary>
    /// cgroup/connect4|6. Stack: fp-4 tgid, fp-8 zero key, fp-16 mark, fp-40..fp-17 the verdict key (address at fp-32).
    /// Returns 1 always (allow the connect(2) call itself: verdicts are the packet path's job).
    /// </summary>
    private BpfInstruction[] ConnectProgram(AddressFamily family)
    {
        var ipv6 = family == AddressFamily.InterNetworkV6;
        var a = new BpfAssembler();
        a.Mov64(R6, R1);
        a.Load(W, R2, R6, SockAddrType).JumpIf(Jne, R2, SOCK_STREAM, "pass");
        if (ipv6)
        {
            // ::/64 holds ::1, :: and the IPv4-mapped ::ffff:a.b.c.d (those connections are IPv4 on the wire).
            a.Load(W, R2, R6, SockAddrUserIp6).Load(W, R3, R6, SockAddrUserIp6 + 4).JumpIf(Jne, R2, 0, "global").JumpIf(Jeq, R3, 0, "pass").Label("global");
        }
        a.Mov64(R1, R6).Call(HelperNetnsCookie).LoadImm64(R2, NetnsCookie).JumpIfReg(Jne, R0, R2, "pass");

        // A socket with a mark of its own goes to the queue as before; one that brings our bit along loses our bits.
        a.Load(DW, R7, R6, SockAddrSk).Load(W, R8, R7, SockMark).JumpIf(Jeq, R8, 0, "unmarked");
        a.JumpIf(Jset, R8, (int)KernelMark, "strip").Goto("pass");
        a.Label("strip").AndImm32(R8, unchecked((int)~OwnedBits)).Store(W, Fp, -16, R8);
        a.Mov64(R1, R6).MovImm(R2, Interop.SOL_SOCKET).MovImm(R3, SO_MARK).Mov64(R4, Fp).AddImm(R4, -16).MovImm(R5, 4).Call(HelperSetSockOpt).Goto("pass");

        // The process: registered, not exec'd since, same uid/gid and cgroup.
        a.Label("unmarked").Call(HelperPidTgid).RshImm(R0, 32).Store(W, Fp, -4, R0);
        a.LoadMap(R1, _processes).Mov64(R2, Fp).AddImm(R2, -4).Call(HelperMapLookup).JumpIf(Jeq, R0, 0, "pass").Mov64(R9, R0);
        a.LoadMap(R1, _execs).Mov64(R2, Fp).AddImm(R2, -4).Call(HelperMapLookup).MovImm(R7, 0).JumpIf(Jeq, R0, 0, "stamp").Load(DW, R7, R0, 0);
        a.Label("stamp").Load(DW, R2, R9, ProcessEntry.ExecStampOffset).JumpIfReg(Jne, R7, R2, "pass");
        a.Call(HelperUidGid).Load(DW, R2, R9, ProcessEntry.UidGidOffset).JumpIfReg(Jne, R0, R2, "pass");
        a.Call(HelperCgroupId).Load(DW, R2, R9, ProcessEntry.CgroupIdOffset).JumpIfReg(Jne, R0, R2, "pass");

        // The verdict key: program, family, protocol, port, address (as VerdictKey lays it out).
        a.Load(W, R2, R9, ProcessEntry.AppIdOffset).Store(W, Fp, -40, R2);
        a.StoreImm(B, Fp, -36, ipv6 ? 10 : 2).StoreImm(B, Fp, -35, 6);
        a.Load(W, R2, R6, SockAddrUserPort).Store(H, Fp, -34, R2);
        if (ipv6)
        {
            for (short i = 0; i < 4; i++) a.Load(W, R2, R6, (short)(SockAddrUserIp6 + 4 * i)).Store(W, Fp, (short)(-32 + 4 * i), R2);
        }
        else
        {
            a.Load(W, R2, R6, SockAddrUserIp4).Store(W, Fp, -32, R2).StoreImm(W, Fp, -28, 0).StoreImm(DW, Fp, -24, 0);
        }
        a.LoadMap(R1, _verdicts).Mov64(R2, Fp).AddImm(R2, -40).Call(HelperMapLookup).JumpIf(Jeq, R0, 0, "pass").Mov64(R9, R0);

        // Still valid: this policy generation, not expired, the destination's names unchanged.
        a.StoreImm(W, Fp, -8, 0).LoadMap(R1, _config).Mov64(R2, Fp).AddImm(R2, -8).Call(HelperMapLookup).JumpIf(Jeq, R0, 0, "pass");
        a.Load(W, R2, R0, 0).Load(W, R3, R9, VerdictEntry.GenerationOffset).JumpIfReg(Jne, R2, R3, "pass");
        a.Call(HelperKtime).Load(DW, R2, R9, VerdictEntry.ExpiresAtOffset).JumpIfReg(Jge, R0, R2, "pass");
        a.LoadMap(R1, _names).Mov64(R2, Fp).AddImm(R2, -32).Call(HelperMapLookup).MovImm(R7, 0).JumpIf(Jeq, R0, 0, "names").Load(DW, R7, R0, 0);
        a.Label("names").Load(DW, R2, R9, VerdictEntry.NamesVersionOffset).JumpIfReg(Jne, R7, R2, "pass");

        // Label the socket; count the hit.
        a.Load(W, R2, R9, VerdictEntry.MarkOffset).Store(W, Fp, -16, R2);
        a.Mov64(R1, R6).MovImm(R2, Interop.SOL_SOCKET).MovImm(R3, SO_MARK).Mov64(R4, Fp).AddImm(R4, -16).MovImm(R5, 4).Call(HelperSetSockOpt).JumpIf(Jne, R0, 0, "pass");
        a.LoadMap(R1, _stats).Mov64(R2, Fp).AddImm(R2, -8).Call(HelperMapLookup).JumpIf(Jeq, R0, 0, "pass");
        a.MovImm(R2, 1).AtomicAdd64(R0, 0, R2);
        return a.Label("pass").MovImm(R0, 1).Exit().Build();
    }

    private static bool TryKeyOf(uint appId, IPEndPoint destination, out VerdictKey key)
    {
        key = default;
        var address = destination.Address;
        if (address.IsIPv4MappedToIPv6) return false;
        key.AppId = appId;
        key.Family = address.AddressFamily == AddressFamily.InterNetworkV6 ? (byte)10 : (byte)2;
        key.Protocol = 6;
        key.PortNetworkOrder = (ushort)IPAddress.HostToNetworkOrder((short)destination.Port);
        key.Address = AddressKey.Of(address);
        return true;
    }

    /// <summary>The cgroup2 mount point of this mount namespace (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid systems).</summary>
    public static string? FindCgroup2Root()
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mountpoint options ... - fstype source superoptions
            var dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0) continue;
            var after = line[(dash + 3)..].Split(' ');
            if (after.Length == 0 || after[0] != "cgroup2") continue;
            var fields = line[..dash].Split(' ');
            if (fields.Length >= 5 && fields[3] == "/") return fields[4].Replace("\\040", " ", StringComparison.Ordinal);
        }
        return null;
    }

    private static uint ReadPidMax()
    {
        try
        {
            return Math.Max(65_536u, uint.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or FormatException or OverflowException or UnauthorizedAccessException)
        {
            return 4_194_304;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ProcessEntry
    {
        public const short AppIdOffset = 0, UidGidOffset = 8, CgroupIdOffset = 16, ExecStampOffset = 24;
        public uint AppId;
        private readonly uint _pad;
        public ulong UidGid;
        public ulong CgroupId;
        public ulong ExecStamp;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct VerdictEntry
    {
        public const short ExpiresAtOffset = 0, MarkOffset = 8, GenerationOffset = 12, NamesVersionOffset = 16;
        public ulong ExpiresAt;
        public uint Mark;
        public uint Generation;
        public ulong NamesVersion;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct VerdictKey
    {
        public uint AppId;
        public byte Family;
        public byte Protocol;
        public ushort PortNetworkOrder;
        public AddressKey Address;
    }

    /// <summary>An address as 16 bytes: IPv6 whole, IPv4 in the first four and zeros after (as the programs store it).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct AddressKey
    {
        public fixed byte Bytes[16];

        public static AddressKey Of(IPAddress address)
        {
            var key = default(AddressKey);
            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out var written);
            for (var i = 0; i < written; i++) key.Bytes[i] = bytes[i];
            return key;
        }
    }
}
