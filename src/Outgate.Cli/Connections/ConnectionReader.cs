using System.Net.Sockets;
using Outgate.Linux.ProcFs;
using Outgate.Linux.SockDiag;

namespace Outgate.Cli.Connections;

/// <summary>
/// Kernel socket table (sock_diag) joined with /proc: socket inode → pids (one fd scan per read),
/// pid → process facts (cached per read). Socket-level filters run before the /proc work so a
/// narrow query stays cheap; process-level filters run after attribution.
/// </summary>
public sealed class ConnectionReader(bool hash, string procRoot = "/proc")
{
    private readonly ExecutableHasher _hasher = new();

    public ConnectionSnapshot Read(ConnectionQuery query)
    {
        var warnings = new List<string>();
        var sockets = DumpSockets(query, warnings);
        var socketLevel = query with { Pids = null, App = null, User = null };
        var candidates = new List<SocketEntry>(sockets.Count);
        foreach (var s in sockets)
            if (socketLevel.Matches(Bare(s))) candidates.Add(s);

        var index = candidates.Count > 0 ? SocketOwnerIndex.Scan(procRoot, candidates.Select(c => c.Inode).ToHashSet()) : null;
        var processes = new ProcessInfoReader(procRoot);
        var rows = new List<ConnectionRow>(candidates.Count);
        var unattributed = 0;
        foreach (var s in candidates)
        {
            var pids = index?.PidsOf(s.Inode) ?? [];
            ProcessInfo? info = null;
            foreach (var pid in pids)
                if (processes.TryRead(pid, out var pi)) { info = pi; break; }
            if (pids.Count == 0 && s.Inode != 0) unattributed++;
            var row = Bare(s) with
            {
                UserName = UserNameOrNull(processes, s.Uid),
                Pid = info?.Pid ?? (pids.Count > 0 ? pids[0] : null),
                Pids = pids,
                Program = info?.Name,
                ExecutablePath = info?.ExecutablePath,
                CommandLine = info?.CommandLine,
                CgroupPath = info?.CgroupPath,
                SystemdUnit = info?.SystemdUnit,
                ContainerRuntime = info?.Container?.Runtime,
                ContainerId = info?.Container?.Id,
                ContainerName = info?.Container?.Name,
                Sha256 = hash && info is not null ? _hasher.TryHashProcessExecutable(info.Pid, procRoot) : null,
            };
            if (query.Matches(row)) rows.Add(row);
        }

        var complete = index is null || index.ProcessesDenied == 0;
        if (!complete)
            warnings.Add($"not running as root: {index!.ProcessesDenied} processes could not be inspected, so {unattributed} sockets show no process; run as root (sudo) to see all owners");
        return new ConnectionSnapshot(Sorted(rows), complete, warnings);
    }

    private static List<SocketEntry> DumpSockets(ConnectionQuery query, List<string> warnings)
    {
        SockDiagClient diag;
        try { diag = new SockDiagClient(); }
        catch (Outgate.Linux.Netlink.NetlinkException ex)
        {
            throw new ConnectionsUnavailableException(
                $"cannot open the kernel's socket-diagnostics interface (NETLINK_SOCK_DIAG): {ex.Message}. " +
                "The kernel needs CONFIG_INET_DIAG; try `modprobe inet_diag tcp_diag udp_diag`.", ex);
        }
        using (diag)
        {
            var all = new List<SocketEntry>();
            var tcpFailures = 0;
            foreach (var family in query.Families)
            foreach (var protocol in query.Protocols)
            {
                try { all.AddRange(diag.Dump(family, protocol)); }
                catch (SockDiagUnsupportedException ex)
                {
                    if (protocol == SocketProtocol.Tcp) tcpFailures++;
                    // Raw and UDP-Lite diag modules are often not loaded; only say so when asked for.
                    if (query.ExplicitProtocols || protocol is SocketProtocol.Tcp or SocketProtocol.Udp)
                        warnings.Add(ex.Message);
                }
            }
            if (tcpFailures == query.Families.Count && query.Protocols.Contains(SocketProtocol.Tcp) && all.Count == 0)
                throw new ConnectionsUnavailableException(
                    "the kernel answered that TCP socket diagnostics are not available (tcp_diag). Load them with `modprobe inet_diag tcp_diag udp_diag` (as root) and retry.");
            return all;
        }
    }

    /// <summary>The reader falls back to the number for uids without a passwd entry; JSON documents null for those.</summary>
    private static string? UserNameOrNull(ProcessInfoReader processes, uint uid)
    {
        var name = processes.UserNameOf(uid);
        return name == uid.ToString(System.Globalization.CultureInfo.InvariantCulture) ? null : name;
    }

    private static ConnectionRow Bare(SocketEntry s) => new()
    {
        Protocol = s.Protocol,
        LocalAddress = s.LocalAddress,
        LocalPort = s.LocalPort,
        RemoteAddress = s.RemoteAddress,
        RemotePort = s.RemotePort,
        State = s.State,
        Uid = s.Uid,
        Inode = s.Inode,
        InterfaceIndex = s.InterfaceIndex,
        // A listening socket has no peer: its zero counters and RTT would read as measurements.
        BytesSent = s.State == SocketState.Listen ? null : s.Tcp?.BytesSent,
        BytesReceived = s.State == SocketState.Listen ? null : s.Tcp?.BytesReceived,
        RttMilliseconds = s.State != SocketState.Listen && s.Tcp is { } t ? t.RttMicroseconds / 1000.0 : null,
    };

    /// <summary>Listening first, then by protocol, family, local port, remote address and port: stable between refreshes.</summary>
    private static List<ConnectionRow> Sorted(List<ConnectionRow> rows)
    {
        // Keys computed once per row: comparing IPAddress through ToString() inside the comparison
        // cost more than the whole kernel dump for 10,000 sockets.
        var keys = new (bool Listening, SocketProtocol Protocol, bool V6, ushort LocalPort, UInt128 Remote, ushort RemotePort, ulong Inode)[rows.Count];
        var order = new int[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            keys[i] = (ConnectionQuery.IsListening(r), r.Protocol, r.IsIPv6, r.LocalPort, AddressKey(r.RemoteAddress), r.RemotePort, r.Inode);
            order[i] = i;
        }
        Array.Sort(order, (x, y) =>
        {
            ref var a = ref keys[x];
            ref var b = ref keys[y];
            var c = b.Listening.CompareTo(a.Listening);
            if (c == 0) c = a.Protocol.CompareTo(b.Protocol);
            if (c == 0) c = a.V6.CompareTo(b.V6);
            if (c == 0) c = a.LocalPort.CompareTo(b.LocalPort);
            if (c == 0) c = a.Remote.CompareTo(b.Remote);
            if (c == 0) c = a.RemotePort.CompareTo(b.RemotePort);
            return c != 0 ? c : a.Inode.CompareTo(b.Inode);
        });
        var sorted = new List<ConnectionRow>(rows.Count);
        foreach (var i in order) sorted.Add(rows[i]);
        return sorted;
    }

    private static UInt128 AddressKey(System.Net.IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes) >> ((16 - written) * 8);
    }
}
