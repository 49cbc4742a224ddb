using Outgate.Daemon.Hosting;
using Outgate.Linux.Attribution;
using Outgate.Linux.Netlink;
using Outgate.Linux.Packets;
using Outgate.Linux.ProcConnector;
using Outgate.Linux.ProcFs;
using Outgate.Policy;

namespace Outgate.Daemon.Attribution;

/// <summary>
/// Queued packet → the program that sent it, as <see cref="ProcessFacts"/> for the matchers, through
/// Outgate.Linux's <see cref="ProcessAttributor"/> (sock_diag in the served namespace, inode→pid
/// cache, exec-time process records). The proc connector feed runs in the daemon's own (initial)
/// namespace, the only one where the kernel offers it; without it the attributor scans /proc.
/// Never fails: an unknown sender yields the uid/gid the kernel gave with the packet (counted).
/// </summary>
public sealed class ConnectionAttribution : IDisposable
{
    private readonly ProcessAttributor _attributor;
    private readonly ProcConnectorListener? _procEvents;
    private readonly CancellationTokenSource _stop = new();
    private long _unattributed;

    public ConnectionAttribution(TargetNamespace target)
    {
        // A missed sender costs a /proc scan of a few ms; scanning often beats answering "unknown"
        // when many processes start at once.
        _attributor = ProcessAttributor.Open(target.Name, new ProcessAttributorOptions { FullScanInterval = TimeSpan.FromMilliseconds(20) });
        try
        {
            _procEvents = ProcConnectorListener.Open(receiveTimeout: TimeSpan.FromMilliseconds(250));
            new Thread(FeedProcessEvents) { IsBackground = true, Name = "proc-connector" }.Start();
        }
        catch (Exception ex) when (ex is ProcConnectorUnavailableException or NetlinkException)
        {
            _procEvents = null; // /proc scans only
        }
    }

    public long Unattributed => Interlocked.Read(ref _unattributed);

    public LatencyRecorder Latency { get; } = new();

    public ProcessFacts Attribute(in PacketFlow flow, bool hasUid, uint uid, uint gid)
    {
        var a = _attributor.Attribute(flow, hasUid, uid, gid);
        Latency.Record(a.Elapsed);
        Metrics.OutgateMeter.AttributionSeconds.Record(a.Elapsed.TotalSeconds);
        if (a.Pid == 0) Interlocked.Increment(ref _unattributed);
        // The record was taken at exec; a process can be moved to another cgroup (unit) later, so
        // a live one's cgroup is read now (one small file).
        var cgroup = a.CgroupPath;
        var unit = a.SystemdUnit;
        if (a.Pid > 0 && CurrentCgroup(a.Pid) is { } now && now != cgroup)
        {
            cgroup = now;
            unit = CgroupPathParser.TryGetSystemdUnit(now, out var u) ? u : null;
        }
        return new ProcessFacts
        {
            Pid = a.Pid,
            ExecutablePath = a.ExecutablePath,
            Sha256 = a.Sha256,
            CommandLine = a.CommandLine,
            ParentExecutablePath = a.ParentExecutablePath,
            Uid = a.Uid,
            Gid = a.Gid,
            UserName = a.UserName,
            GroupName = a.GroupName,
            SystemdUnit = unit,
            CgroupPath = cgroup,
            ContainerId = a.ContainerId,
            ContainerName = a.ContainerName,
            ObservedAt = a.Process?.ObservedAt ?? 0,
        };
    }

    /// <summary>
    /// A quarter second of staleness for a cgroup move (a unit restart re-execs anyway) buys not
    /// reading the file per connection of a busy client (15–30 µs each).
    /// </summary>
    private readonly CurrentCgroupReader _cgroups = new(maxAge: TimeSpan.FromMilliseconds(250));

    private string? CurrentCgroup(int pid) => _cgroups.TryRead(pid, out var path) ? path : null;

    /// <summary>
    /// Runs on its own thread and owns the listener: it is closed here, after the loop, never from
    /// another thread while a receive is in flight. A failure ends the feed (the attributor falls
    /// back to /proc scans), never the daemon.
    /// </summary>
    private void FeedProcessEvents()
    {
        using var listener = _procEvents!;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    listener.Receive(static (in ProcEvent e, ProcessAttributor a) => a.Observe(e), _attributor);
                }
                catch (NetlinkException)
                {
                    _stop.Token.WaitHandle.WaitOne(100);
                }
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or IOException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        // The feed thread closes the listener itself within its 250 ms receive timeout; the
        // attributor stays usable by a late queue packet until the process exits.
    }
}
