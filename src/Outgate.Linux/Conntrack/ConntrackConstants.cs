namespace Outgate.Linux.Conntrack;

/// <summary>ctnetlink message types, groups and attributes (linux/netfilter/nfnetlink_conntrack.h, nfnetlink_compat.h).</summary>
public static class ConntrackConstants
{
    public const byte NFNL_SUBSYS_CTNETLINK = 1;
    public const byte IPCTNL_MSG_CT_NEW = 0;
    public const byte IPCTNL_MSG_CT_GET = 1;
    public const byte IPCTNL_MSG_CT_DELETE = 2;

    public const ushort NewMessageType = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW;
    public const ushort DeleteMessageType = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE;

    /// <summary>Multicast groups (enum nfnetlink_groups).</summary>
    public const uint NFNLGRP_CONNTRACK_NEW = 1;
    public const uint NFNLGRP_CONNTRACK_UPDATE = 2;
    public const uint NFNLGRP_CONNTRACK_DESTROY = 3;

    /// <summary>nlmsg_flags of a NEW event: NLM_F_CREATE | NLM_F_EXCL (an update has neither).</summary>
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;

    public const ushort CTA_TUPLE_ORIG = 1;
    public const ushort CTA_TUPLE_REPLY = 2;
    public const ushort CTA_STATUS = 3;
    public const ushort CTA_PROTOINFO = 4;
    public const ushort CTA_TIMEOUT = 7;
    public const ushort CTA_MARK = 8;
    public const ushort CTA_COUNTERS_ORIG = 9;
    public const ushort CTA_COUNTERS_REPLY = 10;
    public const ushort CTA_USE = 11;
    public const ushort CTA_ID = 12;
    public const ushort CTA_ZONE = 18;
    public const ushort CTA_TIMESTAMP = 20;

    public const ushort CTA_TUPLE_IP = 1;
    public const ushort CTA_TUPLE_PROTO = 2;

    public const ushort CTA_IP_V4_SRC = 1;
    public const ushort CTA_IP_V4_DST = 2;
    public const ushort CTA_IP_V6_SRC = 3;
    public const ushort CTA_IP_V6_DST = 4;

    public const ushort CTA_PROTO_NUM = 1;
    public const ushort CTA_PROTO_SRC_PORT = 2;
    public const ushort CTA_PROTO_DST_PORT = 3;
    public const ushort CTA_PROTO_ICMP_ID = 4;
    public const ushort CTA_PROTO_ICMP_TYPE = 5;
    public const ushort CTA_PROTO_ICMP_CODE = 6;
    public const ushort CTA_PROTO_ICMPV6_ID = 7;
    public const ushort CTA_PROTO_ICMPV6_TYPE = 8;
    public const ushort CTA_PROTO_ICMPV6_CODE = 9;

    public const ushort CTA_COUNTERS_PACKETS = 1;
    public const ushort CTA_COUNTERS_BYTES = 2;
    public const ushort CTA_COUNTERS32_PACKETS = 3;
    public const ushort CTA_COUNTERS32_BYTES = 4;

    public const ushort CTA_TIMESTAMP_START = 1;
    public const ushort CTA_TIMESTAMP_STOP = 2;

    public const ushort CTA_PROTOINFO_TCP = 1;
    public const ushort CTA_PROTOINFO_TCP_STATE = 1;
}
