namespace Outgate.Linux.SockDiag;

/// <summary>Constants from linux/sock_diag.h and linux/inet_diag.h.</summary>
public static class SockDiagConstants
{
    public const ushort SOCK_DIAG_BY_FAMILY = 20;

    public const byte AF_INET = 2;
    public const byte AF_INET6 = 10;

    public const byte IPPROTO_TCP = 6;
    public const byte IPPROTO_UDP = 17;
    public const byte IPPROTO_UDPLITE = 136;
    public const byte IPPROTO_RAW = 255;

    /// <summary>Reply attributes (enum inet_diag_attrs).</summary>
    public const ushort INET_DIAG_INFO = 2;
    public const ushort INET_DIAG_PROTOCOL = 10;

    /// <summary>Request attribute (enum inet_diag_req_attrs) carrying a protocol number above 255 (MPTCP).</summary>
    public const ushort INET_DIAG_REQ_PROTOCOL = 3;

    /// <summary>idiag_ext bit asking for INET_DIAG_INFO (struct tcp_info): 1 &lt;&lt; (INET_DIAG_INFO - 1).</summary>
    public const byte INET_DIAG_EXT_INFO = 1 << (INET_DIAG_INFO - 1);

    public const uint INET_DIAG_NOCOOKIE = 0xFFFFFFFF;
    public const uint AllStates = 0xFFFFFFFF;

    /// <summary>Offsets into struct tcp_info (linux/tcp.h).</summary>
    public const int TcpInfoRttOffset = 68, TcpInfoRttVarOffset = 72, TcpInfoBytesAckedOffset = 120, TcpInfoBytesReceivedOffset = 128;
}
