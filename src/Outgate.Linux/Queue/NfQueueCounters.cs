namespace Outgate.Linux.Queue;

/// <summary>What one <see cref="NfQueue"/> saw since it was opened.</summary>
/// <param name="Packets">Packets received and handed to the handler.</param>
/// <param name="Verdicts">Single verdicts sent.</param>
/// <param name="BatchVerdicts">Batch verdicts sent.</param>
/// <param name="Malformed">Messages that were not a readable NFQNL_MSG_PACKET (no verdict possible).</param>
/// <param name="Overruns">ENOBUFS from recv or NLMSG_OVERRUN: the socket buffer overflowed and packets were lost to us.</param>
/// <param name="Errors">NLMSG_ERROR messages received on the packet stream (e.g. a verdict for an unknown id).</param>
/// <param name="Repeated">Packets that arrived while configuring and were sent back with NF_REPEAT.</param>
public readonly record struct NfQueueCounters(long Packets, long Verdicts, long BatchVerdicts, long Malformed, long Overruns, long Errors, long Repeated);
