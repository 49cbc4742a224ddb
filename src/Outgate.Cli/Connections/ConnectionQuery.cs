using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Outgate.Linux.SockDiag;

namespace Outgate.Cli.Connections;

/// <summary>
/// The validated filters of `outgate connections`. <see cref="Matches"/> is a pure predicate over a
/// row; <see cref="Families"/> and <see cref="Protocols"/> tell the reader what to ask the kernel for,
/// so filtered-out protocols are never dumped.
/// </summary>
public sealed record ConnectionQuery
{
    public bool Listening { get; init; }
    public bool Established { get; init; }
    public IReadOnlyList<AddressFamily> Families { get; init; } = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];
    public IReadOnlyList<SocketProtocol> Protocols { get; init; } = [SocketProtocol.Tcp, SocketProtocol.Udp, SocketProtocol.UdpLite, SocketProtocol.Raw];
    public IReadOnlySet<int>? Pids { get; init; }
    public string? App { get; init; }
    public string? User { get; init; }
    public PortFilter? Ports { get; init; }
    public IReadOnlyList<IPNetwork>? Remote { get; init; }
    /// <summary>States from --state; "unconn" is kept apart because it is CLOSE for datagram sockets only.</summary>
    public IReadOnlySet<SocketState>? States { get; init; }
    public bool StateUnconnected { get; init; }
    /// <summary>The user named protocols (-t/-u/-w): a missing kernel module for one of them is then worth a warning.</summary>
    public bool ExplicitProtocols { get; init; }

    public bool Matches(ConnectionRow row)
    {
        if (Listening && !IsListening(row)) return false;
        if (Established && row.State != SocketState.Established) return false;
        if ((States is not null || StateUnconnected) && !MatchesState(row)) return false;
        if (Pids is not null && !row.Pids.Any(Pids.Contains)) return false;
        if (User is not null && !MatchesUser(row)) return false;
        if (App is not null && !MatchesApp(row)) return false;
        if (Ports is not null && !Ports.Contains(row.LocalPort) && !(row.RemotePort != 0 && Ports.Contains(row.RemotePort))) return false;
        if (Remote is not null && !MatchesRemote(row)) return false;
        return true;
    }

    /// <summary>TCP in LISTEN, and bound but unconnected UDP/raw sockets (what netstat -l and ss -l show).</summary>
    public static bool IsListening(ConnectionRow row) =>
        row.State == SocketState.Listen || (row.Protocol != SocketProtocol.Tcp && row.State == SocketState.Close);

    private bool MatchesState(ConnectionRow row)
    {
        if (StateUnconnected && row.Protocol != SocketProtocol.Tcp && row.State == SocketState.Close) return true;
        if (States is null || !States.Contains(row.State)) return false;
        // "close" names TCP's CLOSE; a datagram socket in CLOSE is "unconn".
        return row.State != SocketState.Close || row.Protocol == SocketProtocol.Tcp;
    }

    private bool MatchesUser(ConnectionRow row) =>
        uint.TryParse(User, NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            ? row.Uid == uid
            : string.Equals(row.UserName, User, StringComparison.Ordinal);

    /// <summary>A path matches the executable exactly; a bare name matches the process name or the executable's file name.</summary>
    private bool MatchesApp(ConnectionRow row)
    {
        if (App!.Contains('/'))
            return string.Equals(row.ExecutablePath, App, StringComparison.Ordinal);
        return string.Equals(row.Program, App, StringComparison.Ordinal)
            || (row.ExecutablePath is { } exe && string.Equals(Path.GetFileName(exe), App, StringComparison.Ordinal));
    }

    private bool MatchesRemote(ConnectionRow row)
    {
        if (row.RemotePort == 0 && (row.RemoteAddress.Equals(IPAddress.Any) || row.RemoteAddress.Equals(IPAddress.IPv6Any)))
            return false;
        var address = row.RemoteAddress.IsIPv4MappedToIPv6 ? row.RemoteAddress.MapToIPv4() : row.RemoteAddress;
        foreach (var net in Remote!)
            if (net.Contains(address)) return true;
        return false;
    }
}
