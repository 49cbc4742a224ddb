using System.Runtime.InteropServices;

namespace Outgate.Linux.Netlink;

/// <summary>struct nlmsghdr (linux/netlink.h), 16 bytes, host byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
#pragma warning disable IDE1006, CS8981 // kernel names
public struct nlmsghdr
#pragma warning restore IDE1006, CS8981
{
    public const int Size = 16;

    /// <summary>Length of the message including this header, without trailing padding.</summary>
    public uint nlmsg_len;
    public ushort nlmsg_type;
    public ushort nlmsg_flags;
    public uint nlmsg_seq;
    public uint nlmsg_pid;
}
