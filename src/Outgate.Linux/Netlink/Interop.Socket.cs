using System.Runtime.InteropServices;

namespace Outgate.Linux.Netlink;

/// <summary>socket(2), bind(2), sendto(2), recv(2), setsockopt(2) and close(2) for netlink sockets.</summary>
internal static unsafe partial class Interop
{
    internal const int AF_NETLINK = 16; // not System.Net.Sockets.AddressFamily: 16 is AppleTalk there
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;

    internal const int SOL_SOCKET = 1;
    internal const int SO_RCVBUF = 8;
    internal const int SO_RCVTIMEO = 20; // SO_RCVTIMEO_OLD: struct timeval of two longs on 64-bit
    internal const int SO_RCVBUFFORCE = 33;

    internal const int SOL_NETLINK = 270;
    internal const int NETLINK_ADD_MEMBERSHIP = 1;
    internal const int NETLINK_NO_ENOBUFS = 5;
    internal const int NETLINK_CAP_ACK = 10;
    internal const int NETLINK_EXT_ACK = 11;
    internal const int NETLINK_GET_STRICT_CHK = 12;

    internal const int MSG_PEEK = 0x2;
    internal const int MSG_TRUNC = 0x20;
    internal const int MSG_DONTWAIT = 0x40;

    [StructLayout(LayoutKind.Sequential)]
#pragma warning disable CS8981 // kernel name
    internal struct timeval
#pragma warning restore CS8981
    {
        public long tv_sec;
        public long tv_usec;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    internal static partial NetlinkSocketHandle socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    internal static partial int bind(NetlinkSocketHandle fd, sockaddr_nl* addr, int addrlen);

    [LibraryImport("libc", EntryPoint = "getsockname", SetLastError = true)]
    internal static partial int getsockname(NetlinkSocketHandle fd, sockaddr_nl* addr, int* addrlen);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    internal static partial nint sendto(NetlinkSocketHandle fd, byte* buf, nint len, int flags, sockaddr_nl* addr, int addrlen);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    internal static partial nint recv(NetlinkSocketHandle fd, byte* buf, nint len, int flags);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int setsockopt(NetlinkSocketHandle fd, int level, int optname, void* optval, uint optlen);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int close(nint fd);
}
