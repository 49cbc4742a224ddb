using System.Diagnostics;
using Outgate.Daemon.Hosting;
using Outgate.Linux.Packets;
using Outgate.Linux.ProcFs;
using Outgate.Linux.SockDiag;
using Outgate.Policy;

namespace Outgate.Daemon.Attribution;

/// <summary>
/// Queued packet → the program that sent it, as <see cref="ProcessFacts"/> for the matchers. Never
/// fails: when the socket or process cannot be found the facts carry only the uid/gid the kernel
/// gave with the packet (and the miss is counted). Records the time each lookup took.
/// </summary>
public sealed class ConnectionAttribution : IDisposable
{
    private readonly ThreadLocal<SockDiagClient> _sockDiag;
    private readonly ProcessInfoReader _processes = new();
    private readonly ExecutableHasher _hasher = new();
    private readonly LatencyRecorder _latency = new();
    private long _unattributed;

    public ConnectionAttribution(TargetNamespace target)
    {
        _sockDiag = new ThreadLocal<SockDiagClient>(() => target.Run(() => new SockDiagClient()), trackAllValues: true);
    }

    public long Unattributed => Interlocked.Read(ref _unattributed);

    public LatencyRecorder Latency => _latency;

    public ProcessFacts Attribute(in PacketFlow flow, bool hasUid, uint uid, uint gid)
    {
        var started = Stopwatch.GetTimestamp();
        var facts = Find(flow, hasUid, uid, gid);
        _latency.Record(Stopwatch.GetElapsedTime(started));
        if (facts.Pid == 0) Interlocked.Increment(ref _unattributed);
        return facts;
    }

    private ProcessFacts Find(in PacketFlow flow, bool hasUid, uint uid, uint gid)
    {
        var fallback = new ProcessFacts { Uid = uid, Gid = gid, UserName = hasUid ? _processes.UserNameOf(uid) : null };
        var protocol = flow.Protocol switch
        {
            6 => SocketProtocol.Tcp,
            17 => SocketProtocol.Udp,
            136 => SocketProtocol.UdpLite,
            _ => (SocketProtocol?)null,
        };
        if (protocol is null) return fallback;
        SocketEntry? socket;
        try
        {
            socket = _sockDiag.Value!.Lookup(protocol.Value, flow.SourceEndPoint, flow.DestinationEndPoint);
        }
        catch (Exception ex) when (ex is Linux.Netlink.NetlinkException or SockDiagUnsupportedException)
        {
            return fallback;
        }
        if (socket is null || socket.Inode == 0) return fallback;
        var index = SocketOwnerIndex.Scan("/proc", new HashSet<ulong> { socket.Inode });
        var pids = index.PidsOf(socket.Inode);
        if (pids.Count == 0 || !_processes.TryRead(pids[0], out var info)) return fallback with { Uid = hasUid ? uid : socket.Uid };
        string? parent = null;
        if (info.ParentPid > 0 && _processes.TryRead(info.ParentPid, out var parentInfo)) parent = parentInfo.ExecutablePath;
        return new ProcessFacts
        {
            Pid = info.Pid,
            ExecutablePath = info.ExecutablePath,
            Sha256 = info.ExecutablePath is null ? null : _hasher.TryHashProcessExecutable(info.Pid),
            CommandLine = info.CommandLine,
            ParentExecutablePath = parent,
            Uid = hasUid ? uid : info.Uid,
            Gid = gid,
            UserName = info.UserName,
            SystemdUnit = info.SystemdUnit,
            CgroupPath = info.CgroupPath,
            ContainerId = info.Container?.Id,
            ContainerName = info.Container?.Name,
        };
    }

    public void Dispose()
    {
        foreach (var client in _sockDiag.Values) client.Dispose();
        _sockDiag.Dispose();
    }
}
