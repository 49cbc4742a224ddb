using System.Runtime.InteropServices;

namespace Outgate.Linux.Netlink;

/// <summary>struct nlattr (linux/netlink.h), 4 bytes, host byte order; payload follows, padded to 4.</summary>
[StructLayout(LayoutKind.Sequential)]
#pragma warning disable IDE1006, CS8981 // kernel names
public struct nlattr
#pragma warning restore IDE1006, CS8981
{
    public const int Size = 4;

    /// <summary>NLA_F_NESTED | NLA_F_NET_BYTEORDER live in the top two bits of nla_type.</summary>
    public const ushort NLA_TYPE_MASK = 0x3FFF;

    /// <summary>Length including this header, without trailing padding.</summary>
    public ushort nla_len;
    public ushort nla_type;
}
