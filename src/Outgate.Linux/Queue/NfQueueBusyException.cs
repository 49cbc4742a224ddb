using Outgate.Linux.Netlink;

namespace Outgate.Linux.Queue;

/// <summary>Another socket (another daemon, or a leftover process) is already bound to the queue number (EPERM from NFQNL_CFG_CMD_BIND on 6.x with the queue listed in /proc/net/netfilter/nfnetlink_queue, EBUSY on older kernels).</summary>
public sealed class NfQueueBusyException : NetlinkException
{
    public ushort QueueNumber { get; }

    public NfQueueBusyException(ushort queueNumber, int errno)
        : base($"NFQNL_CFG_CMD_BIND queue {queueNumber}", errno, detail: $"queue {queueNumber} is already bound by another netlink socket in this network namespace (another outgate daemon?)")
    {
        QueueNumber = queueNumber;
    }
}
