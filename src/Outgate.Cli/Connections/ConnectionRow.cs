using System.Net;
using Outgate.Linux.SockDiag;

namespace Outgate.Cli.Connections;

/// <summary>
/// One socket with everything we know about its owner. This is the unit of every output format
/// (table, JSON, CSV) and of the watch diff; <see cref="Key"/> identifies it across refreshes.
/// </summary>
public sealed record ConnectionRow
{
    public required SocketProtocol Protocol { get; init; }
    public required IPAddress LocalAddress { get; init; }
    public required ushort LocalPort { get; init; }
    public required IPAddress RemoteAddress { get; init; }
    public required ushort RemotePort { get; init; }
    public required SocketState State { get; init; }
    public required uint Uid { get; init; }
    public required ulong Inode { get; init; }
    public uint InterfaceIndex { get; init; }
    public string? UserName { get; init; }
    /// <summary>Lowest pid holding the socket; null when no process we may inspect holds it.</summary>
    public int? Pid { get; init; }
    /// <summary>Every pid holding the socket (shared after fork), ascending.</summary>
    public IReadOnlyList<int> Pids { get; init; } = [];
    public string? Program { get; init; }
    public string? ExecutablePath { get; init; }
    public string? CommandLine { get; init; }
    public string? CgroupPath { get; init; }
    public string? SystemdUnit { get; init; }
    public string? ContainerRuntime { get; init; }
    public string? ContainerId { get; init; }
    public string? ContainerName { get; init; }
    public string? Sha256 { get; init; }
    public ulong? BytesSent { get; init; }
    public ulong? BytesReceived { get; init; }
    public double? RttMilliseconds { get; init; }
    /// <summary>The name the remote address was resolved from (outgated's DNS tracking), when known.</summary>
    public string? Domain { get; init; }

    public bool IsIPv6 => LocalAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    /// <summary>Stable identity across refreshes: the inode, or the 5-tuple for inode-less (time-wait) sockets.</summary>
    public string Key => Inode != 0
        ? $"{ProtocolName}/{Inode}"
        : $"{ProtocolName}/{LocalAddress}/{LocalPort}/{RemoteAddress}/{RemotePort}/{State}";

    /// <summary>"tcp", "tcp6", "udp", "udp6", "udplite", "raw6"... as netstat prints it.</summary>
    public string ProtocolName => SocketNames.Protocol(Protocol) + (IsIPv6 ? "6" : "");

    public string StateName => SocketNames.State(Protocol, State);

    /// <summary>"unit" or "runtime:name" for the owner's systemd unit or container, whichever is known.</summary>
    public string? UnitOrContainer => ContainerId is not null
        ? $"{ContainerRuntime}:{ContainerName ?? ContainerId}"
        : SystemdUnit;
}
