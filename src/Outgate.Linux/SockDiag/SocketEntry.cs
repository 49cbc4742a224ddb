using System.Net;

namespace Outgate.Linux.SockDiag;

/// <summary>Transport protocol of a socket as reported by inet_diag.</summary>
public enum SocketProtocol : byte
{
    Tcp = 6,
    Udp = 17,
    UdpLite = 136,
    Raw = 255,
}

/// <summary>
/// Kernel socket states (include/net/tcp_states.h). UDP and raw sockets reuse them:
/// a connected UDP socket is <see cref="Established"/>, an unconnected bound one is <see cref="Close"/>
/// (shown as "UNCONN", like ss).
/// </summary>
public enum SocketState : byte
{
    Unknown = 0,
    Established = 1,
    SynSent = 2,
    SynRecv = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Close = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
    NewSynRecv = 12,
}

/// <summary>TCP counters from INET_DIAG_INFO (struct tcp_info); null fields were not in the kernel's reply.</summary>
public readonly record struct TcpCounters(
    ulong BytesSent,
    ulong BytesReceived,
    uint RttMicroseconds,
    uint RttVarMicroseconds);

/// <summary>One socket from a sock_diag dump. Addresses are never null; unbound/unconnected ends are Any:0.</summary>
public sealed record SocketEntry(
    SocketProtocol Protocol,
    IPAddress LocalAddress,
    ushort LocalPort,
    IPAddress RemoteAddress,
    ushort RemotePort,
    SocketState State,
    uint Uid,
    ulong Inode,
    uint InterfaceIndex,
    TcpCounters? Tcp)
{
    /// <summary>The kernel's socket cookie (inet_diag idiag_cookie), stable for the socket's life; 0 if unknown.</summary>
    public ulong Cookie { get; init; }

    /// <summary>idiag_rqueue: bytes waiting to be read (for LISTEN: the accept backlog length).</summary>
    public uint ReceiveQueue { get; init; }

    /// <summary>idiag_wqueue: bytes not yet sent/acknowledged (for LISTEN: the backlog limit).</summary>
    public uint SendQueue { get; init; }

    public bool IsIPv6 => LocalAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
}
