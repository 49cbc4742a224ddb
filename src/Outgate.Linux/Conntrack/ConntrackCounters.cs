namespace Outgate.Linux.Conntrack;

/// <summary>Packets and bytes of one direction (CTA_COUNTERS_ORIG/REPLY; needs net.netfilter.nf_conntrack_acct=1 when the entry was created).</summary>
public readonly record struct ConntrackCounters(ulong Packets, ulong Bytes);
