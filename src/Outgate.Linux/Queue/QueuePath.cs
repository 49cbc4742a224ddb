namespace Outgate.Linux.Queue;

/// <summary>How new connections reach the NFQUEUE (shown by <c>outgate status</c>).</summary>
public enum QueuePath
{
    /// <summary>No queue rules of ours are installed.</summary>
    None,
    /// <summary>The native nft <c>queue</c> statement in table <c>inet outgate_queue</c> (CONFIG_NFT_QUEUE).</summary>
    Native,
    /// <summary>The xt NFQUEUE target through iptables-nft (nft_compat) in chain OUTGATE-QUEUE, for kernels without nft queue.</summary>
    Compat,
}
