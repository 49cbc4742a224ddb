using System.Runtime.InteropServices;

namespace Outgate.Linux.Netlink;

/// <summary>
/// struct nfgenmsg (linux/netfilter/nfnetlink.h), 4 bytes after the nlmsghdr of every
/// NETLINK_NETFILTER message. res_id is BIG-endian (the queue number for NFQUEUE, 0 otherwise):
/// queue 1 is <c>00 01</c> on the wire, unlike the little-endian nlmsghdr before it.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
#pragma warning disable IDE1006, CS8981 // kernel names
public struct nfgenmsg
#pragma warning restore IDE1006, CS8981
{
    public const int Size = 4;

    /// <summary>AF_UNSPEC (0), AF_INET (2), AF_INET6 (10)...</summary>
    public byte nfgen_family;
    /// <summary>NFNETLINK_V0 = 0.</summary>
    public byte version;
    /// <summary>Big-endian resource id.</summary>
    public ushort res_id;
}
