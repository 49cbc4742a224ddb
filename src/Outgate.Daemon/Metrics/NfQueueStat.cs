using System.Globalization;

namespace Outgate.Daemon.Metrics;

/// <summary>
/// One line of <c>/proc/net/netfilter/nfnetlink_queue</c> (per network namespace): a bound queue's backlog and what the
/// kernel dropped. Kernel names: queue_total = packets waiting for a verdict now, queue_dropped = dropped because the
/// queue was full (queue_maxlen), user_dropped = dropped because netlink could not deliver them to us (socket buffer full).
/// </summary>
public readonly record struct NfQueueStat(ushort Queue, uint PortId, uint QueueTotal, ulong QueueDropped, ulong UserDropped)
{
    /// <summary>
    /// Parses the file. Each line is <c>queue_num peer_portid queue_total copy_mode copy_range queue_dropped user_dropped
    /// id_sequence 1</c>, e.g. <c>   10 3214741    0 2 65531     0     0       42  1</c>. Lines that do not have
    /// these nine numbers (a future kernel format) are skipped rather than misread.
    /// </summary>
    public static IReadOnlyList<NfQueueStat> Parse(string text)
    {
        var result = new List<NfQueueStat>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 9) continue;
            if (ushort.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var queue)
                && uint.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                && uint.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var total)
                && ulong.TryParse(f[5], NumberStyles.None, CultureInfo.InvariantCulture, out var dropped)
                && ulong.TryParse(f[6], NumberStyles.None, CultureInfo.InvariantCulture, out var userDropped))
                result.Add(new NfQueueStat(queue, port, total, dropped, userDropped));
        }
        return result;
    }
}
