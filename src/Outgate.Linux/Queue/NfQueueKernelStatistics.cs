namespace Outgate.Linux.Queue;

/// <summary>
/// The kernel's line for one queue in /proc/net/netfilter/nfnetlink_queue:
/// <c>queue_number peer_portid queue_total copy_mode copy_range queue_dropped user_dropped id_sequence 1</c>.
/// </summary>
/// <param name="QueueTotal">Packets waiting for a verdict right now.</param>
/// <param name="QueueDropped">Dropped because the queue was full (MaxQueueLength).</param>
/// <param name="UserDropped">Dropped because our socket buffer was full (netlink unicast failed).</param>
/// <param name="IdSequence">Last packet id handed out.</param>
public readonly record struct NfQueueKernelStatistics(ushort QueueNumber, uint PortId, uint QueueTotal, byte CopyMode, uint CopyRange, uint QueueDropped, uint UserDropped, uint IdSequence)
{
    /// <summary>Parses the text of the proc file; returns false when <paramref name="queue"/> has no line.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, ushort queue, out NfQueueKernelStatistics statistics)
    {
        statistics = default;
        Span<Range> fields = stackalloc Range[10];
        foreach (var line in text.EnumerateLines())
        {
            var trimmed = line.Trim();
            var count = trimmed.Split(fields, ' ', StringSplitOptions.RemoveEmptyEntries);
            if (count < 8) continue;
            if (!ushort.TryParse(trimmed[fields[0]], out var number) || number != queue) continue;
            if (uint.TryParse(trimmed[fields[1]], out var portId) && uint.TryParse(trimmed[fields[2]], out var total)
                && byte.TryParse(trimmed[fields[3]], out var mode) && uint.TryParse(trimmed[fields[4]], out var range)
                && uint.TryParse(trimmed[fields[5]], out var queueDropped) && uint.TryParse(trimmed[fields[6]], out var userDropped)
                && uint.TryParse(trimmed[fields[7]], out var idSequence))
            {
                statistics = new NfQueueKernelStatistics(number, portId, total, mode, range, queueDropped, userDropped, idSequence);
                return true;
            }
        }
        return false;
    }
}
