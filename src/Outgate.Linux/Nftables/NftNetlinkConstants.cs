namespace Outgate.Linux.Nftables;

/// <summary>nf_tables netlink numbers (linux/netfilter/nf_tables.h, nfnetlink.h).</summary>
internal static class NftNetlinkConstants
{
    /// <summary>NFNL_SUBSYS_NFTABLES: the high byte of every nf_tables nlmsg_type.</summary>
    public const byte NFNL_SUBSYS_NFTABLES = 10;

    /// <summary>NFNLGRP_NFTABLES: the multicast group of ruleset change notifications (what <c>nft monitor</c> joins).</summary>
    public const uint NFNLGRP_NFTABLES = 7;

    // The first attributes of each object all name its table (value 1), then the object itself.
    public const ushort NFTA_TABLE_NAME = 1, NFTA_TABLE_HANDLE = 4;
    public const ushort NFTA_CHAIN_TABLE = 1, NFTA_CHAIN_HANDLE = 2, NFTA_CHAIN_NAME = 3;
    public const ushort NFTA_RULE_TABLE = 1, NFTA_RULE_CHAIN = 2, NFTA_RULE_HANDLE = 3;
    public const ushort NFTA_SET_TABLE = 1, NFTA_SET_NAME = 2, NFTA_SET_HANDLE = 16;
    public const ushort NFTA_SET_ELEM_LIST_TABLE = 1, NFTA_SET_ELEM_LIST_SET = 2;
    public const ushort NFTA_OBJ_TABLE = 1, NFTA_OBJ_NAME = 2, NFTA_OBJ_HANDLE = 6;
    public const ushort NFTA_FLOWTABLE_TABLE = 1, NFTA_FLOWTABLE_NAME = 2, NFTA_FLOWTABLE_HANDLE = 5;
    public const ushort NFTA_GEN_ID = 1, NFTA_GEN_PROC_PID = 2, NFTA_GEN_PROC_NAME = 3;
}
