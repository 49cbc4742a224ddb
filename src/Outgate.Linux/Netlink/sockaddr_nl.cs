using System.Runtime.InteropServices;

namespace Outgate.Linux.Netlink;

/// <summary>struct sockaddr_nl (linux/netlink.h), 12 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
#pragma warning disable IDE1006, CS8981 // kernel names
internal struct sockaddr_nl
#pragma warning restore IDE1006, CS8981
{
    public ushort nl_family;
    public ushort nl_pad;
    public uint nl_pid;
    public uint nl_groups;
}
