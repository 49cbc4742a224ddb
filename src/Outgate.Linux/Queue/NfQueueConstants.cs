namespace Outgate.Linux.Queue;

/// <summary>Message types, attributes and flags of linux/netfilter/nfnetlink_queue.h.</summary>
public static class NfQueueConstants
{
    public const byte NFNL_SUBSYS_QUEUE = 3;

    public const byte NFQNL_MSG_PACKET = 0;
    public const byte NFQNL_MSG_VERDICT = 1;
    public const byte NFQNL_MSG_CONFIG = 2;
    public const byte NFQNL_MSG_VERDICT_BATCH = 3;

    /// <summary>nlmsg_type of a queued packet: subsystem in the high byte, message in the low.</summary>
    public const ushort PacketMessageType = NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET;
    public const ushort VerdictMessageType = NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_VERDICT;
    public const ushort ConfigMessageType = NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_CONFIG;
    public const ushort VerdictBatchMessageType = NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_VERDICT_BATCH;

    public const ushort NFQA_PACKET_HDR = 1;
    public const ushort NFQA_VERDICT_HDR = 2;
    public const ushort NFQA_MARK = 3;
    public const ushort NFQA_TIMESTAMP = 4;
    public const ushort NFQA_IFINDEX_INDEV = 5;
    public const ushort NFQA_IFINDEX_OUTDEV = 6;
    public const ushort NFQA_IFINDEX_PHYSINDEV = 7;
    public const ushort NFQA_IFINDEX_PHYSOUTDEV = 8;
    public const ushort NFQA_HWADDR = 9;
    public const ushort NFQA_PAYLOAD = 10;
    public const ushort NFQA_CT = 11;
    public const ushort NFQA_CT_INFO = 12;
    public const ushort NFQA_CAP_LEN = 13;
    public const ushort NFQA_SKB_INFO = 14;
    public const ushort NFQA_EXP = 15;
    public const ushort NFQA_UID = 16;
    public const ushort NFQA_GID = 17;

    public const ushort NFQA_CFG_CMD = 1;
    public const ushort NFQA_CFG_PARAMS = 2;
    public const ushort NFQA_CFG_QUEUE_MAXLEN = 3;
    public const ushort NFQA_CFG_MASK = 4;
    public const ushort NFQA_CFG_FLAGS = 5;

    public const byte NFQNL_CFG_CMD_BIND = 1;
    public const byte NFQNL_CFG_CMD_UNBIND = 2;
    public const byte NFQNL_CFG_CMD_PF_BIND = 3;
    public const byte NFQNL_CFG_CMD_PF_UNBIND = 4;

    public const byte NFQNL_COPY_NONE = 0;
    public const byte NFQNL_COPY_META = 1;
    public const byte NFQNL_COPY_PACKET = 2;

    public const uint NFQA_CFG_F_FAIL_OPEN = 1 << 0;
    public const uint NFQA_CFG_F_CONNTRACK = 1 << 1;
    public const uint NFQA_CFG_F_GSO = 1 << 2;
    public const uint NFQA_CFG_F_UID_GID = 1 << 3;

    /// <summary>NFQA_SKB_INFO bits.</summary>
    public const uint NFQA_SKB_CSUMNOTREADY = 1 << 0;
    public const uint NFQA_SKB_GSO = 1 << 1;
    public const uint NFQA_SKB_CSUM_NOTVERIFIED = 1 << 2;
}
