using System.Globalization;
using Outgate.Daemon.Events;

namespace Outgate.Daemon.Alerts.Health;

/// <summary>
/// Compares two <see cref="HealthReading"/>s: growth of a loss counter since the previous reading, or a queue that is
/// not running, is a finding. Pure, so the thresholds are unit-tested without a daemon.
/// </summary>
public static class HealthJudge
{
    public static IReadOnlyList<HealthFinding> Judge(HealthReading? previous, HealthReading now)
    {
        var findings = new List<HealthFinding>();
        var dropped = now.EventsDropped - (previous?.EventsDropped ?? 0);
        if (dropped > 0)
            findings.Add(new HealthFinding("events-dropped", EventSeverity.Warning,
                $"{N(dropped)} events dropped under overload: the event queue of {N(now.EventCapacity)} was full; the event log and alerts have a gap (raise --event-queue if this repeats)",
                $"dropped={N(dropped)}; dropped_total={N(now.EventsDropped)}; capacity={N(now.EventCapacity)}"));

        var failed = now.EventsFailed - (previous?.EventsFailed ?? 0);
        if (failed > 0)
            findings.Add(new HealthFinding("events-failed", EventSeverity.Error,
                $"{N(failed)} events could not be written to events.db: {now.LastEventError ?? "see the daemon log"}",
                $"failed={N(failed)}; failed_total={N(now.EventsFailed)}; error={now.LastEventError}"));

        if (now.QueueError is { } queueError)
            findings.Add(new HealthFinding("queue-not-running", EventSeverity.Critical,
                $"the kernel queue is not running, no per-program decisions are made: {queueError}",
                $"error={queueError}"));

        foreach (var q in now.Queues)
        {
            var before = previous?.Queues.FirstOrDefault(p => p.Queue == q.Queue && p.PortId == q.PortId);
            // A re-bound queue (new port id) restarts its counters: compare with zero.
            ulong full = q.QueueDropped - Math.Min(q.QueueDropped, before?.QueueDropped ?? 0);
            ulong user = q.UserDropped - Math.Min(q.UserDropped, before?.UserDropped ?? 0);
            if (full == 0 && user == 0) continue;
            findings.Add(new HealthFinding($"queue-dropped:{N(q.Queue)}", EventSeverity.Critical,
                $"the kernel dropped {N((long)(full + user))} packets of queue {N(q.Queue)} ({N((long)full)} because the queue was full, {N((long)user)} because outgated's socket buffer was full): those connections got no verdict from outgated",
                $"queue={N(q.Queue)}; queue_dropped={N((long)full)}; user_dropped={N((long)user)}; queue_total={N(q.QueueTotal)}"));
        }
        return findings;
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
