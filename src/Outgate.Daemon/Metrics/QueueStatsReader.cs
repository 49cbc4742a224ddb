using Outgate.Daemon.Hosting;
using Outgate.Linux.Netlink;

namespace Outgate.Daemon.Metrics;

/// <summary>
/// Reads the served namespace's <c>nfnetlink_queue</c> statistics. The file is per network namespace and /proc/net
/// follows the reading thread's namespace only through <c>/proc/thread-self/net</c> (<c>/proc/self/net</c> is the
/// thread-group leader's, i.e. the daemon's own namespace), so the read runs on <see cref="TargetNamespace"/>'s thread.
/// One read is shared by every instrument of a scrape (cached for <see cref="MaxAge"/>).
/// </summary>
public sealed class QueueStatsReader(TargetNamespace target, TimeProvider time)
{
    private const string ProcPath = "/proc/thread-self/net/netfilter/nfnetlink_queue";

    /// <summary>How long one read is reused.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(500);

    private readonly Lock _gate = new();
    private IReadOnlyList<NfQueueStat> _last = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    /// <summary>Our bound queues' statistics; empty when none is bound or the file cannot be read (module not loaded).</summary>
    public IReadOnlyList<NfQueueStat> Read()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now - _readAt < MaxAge) return _last;
            _readAt = now;
            try
            {
                _last = NfQueueStat.Parse(target.Run(static () => File.Exists(ProcPath) ? File.ReadAllText(ProcPath) : ""));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NetlinkException)
            {
                _last = [];
            }
            return _last;
        }
    }
}
