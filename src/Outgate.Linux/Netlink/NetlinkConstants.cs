namespace Outgate.Linux.Netlink;

/// <summary>Message types, flags and protocol numbers from linux/netlink.h.</summary>
public static class NetlinkConstants
{
    public const int NETLINK_ROUTE = 0;
    public const int NETLINK_SOCK_DIAG = 4;
    public const int NETLINK_CONNECTOR = 11;
    public const int NETLINK_NETFILTER = 12;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;

    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_ROOT = 0x100;
    public const ushort NLM_F_MATCH = 0x200;
    public const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    /// <summary>In an NLMSG_ERROR reply: the echoed request was cut to its header.</summary>
    public const ushort NLM_F_CAPPED = 0x100;
    /// <summary>In an NLMSG_ERROR reply: extended-ack attributes follow the echoed request.</summary>
    public const ushort NLM_F_ACK_TLVS = 0x200;

    public const ushort NLMSGERR_ATTR_MSG = 1;
    public const ushort NLMSGERR_ATTR_OFFS = 2;

    /// <summary>NLMSG_ALIGN / NLA_ALIGN: round up to 4 bytes.</summary>
    public static int Align(int length) => (length + 3) & ~3;
}
