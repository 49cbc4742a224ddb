namespace Outgate.Linux.Queue;

/// <summary>Netfilter verdicts (linux/netfilter.h NF_*) a queued packet can be given.</summary>
public enum NfQueueVerdict : uint
{
    /// <summary>NF_DROP: the packet is discarded (a SYN then times out in the client; prefer a reject rule).</summary>
    Drop = 0,
    /// <summary>NF_ACCEPT: the packet leaves the queueing chain and continues with the next one.</summary>
    Accept = 1,
    /// <summary>NF_REPEAT: the packet re-enters the current hook (and is queued again if the rule still matches).</summary>
    Repeat = 4,
}
