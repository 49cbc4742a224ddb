namespace Outgate.Linux.Nftables;

/// <summary>enum nf_tables_msg_types (linux/netfilter/nf_tables.h): the low byte of an nf_tables nlmsg_type.</summary>
public enum NftMessageType : byte
{
    NewTable = 0, GetTable = 1, DelTable = 2,
    NewChain = 3, GetChain = 4, DelChain = 5,
    NewRule = 6, GetRule = 7, DelRule = 8,
    NewSet = 9, GetSet = 10, DelSet = 11,
    NewSetElement = 12, GetSetElement = 13, DelSetElement = 14,
    /// <summary>Sent once after every committed transaction: generation id and the committing process.</summary>
    NewGeneration = 15, GetGeneration = 16,
    Trace = 17,
    NewObject = 18, GetObject = 19, DelObject = 20, GetObjectReset = 21,
    NewFlowtable = 22, GetFlowtable = 23, DelFlowtable = 24,
    GetRuleReset = 25,
    /// <summary>DESTROY* (kernel 6.3+): like DEL*, but no error when the object does not exist.</summary>
    DestroyTable = 26, DestroyChain = 27, DestroyRule = 28, DestroySet = 29, DestroySetElement = 30, DestroyObject = 31, DestroyFlowtable = 32,
}
