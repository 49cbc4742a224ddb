using System.Diagnostics.Metrics;
using Outgate.Daemon.Alerts;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Dns;
using Outgate.Daemon.Events;
using Outgate.Daemon.Flows;
using Outgate.Daemon.Guard;
using Outgate.Daemon.Hosting;
using Outgate.Daemon.Options;
using Outgate.Daemon.Prompts;
using Outgate.Daemon.Queue;

namespace Outgate.Daemon.Metrics;

/// <summary>
/// The observable instruments of meter "Outgate": each reads a counter the daemon keeps anyway (for <c>outgate status</c>)
/// when the exporter collects, so /metrics costs nothing between scrapes and nothing on the verdict path. Created once by
/// the meter provider (see <see cref="MonitoringServiceCollectionExtensions"/>). docs/metrics.md lists every metric.
/// </summary>
public sealed class OutgateMetrics : IDisposable
{
    private static readonly string[] Verdicts = ["allow", "deny", "pass", "prompt"];

    private readonly DecisionCounters _decisions;
    private readonly ModeState _mode;
    private readonly QueueState _queue;
    private readonly QueueStatsReader _queueStats;
    private readonly DaemonOptions _options;
    private readonly Lock _byModeGate = new();
    private readonly long[] _lastByVerdict = new long[4];
    private readonly Dictionary<(string Verdict, string Mode), long> _byMode = [];
    private readonly Timer _modeSampler;
    private readonly Meter _meter = new(OutgateMeter.Name, DaemonInfo.Version);

    public OutgateMetrics(
        DaemonOptions options, DecisionCounters decisions, ModeState mode, PromptBook prompts, QueueState queue, QueueStatsReader queueStats,
        Attribution.ConnectionAttribution attribution, EventSink events, AlertRaiser alerts, DnsCounters dns, NameBook names,
        TamperCounters tamper, FlowBook flows)
    {
        _options = options;
        _decisions = decisions;
        _mode = mode;
        _queue = queue;
        _queueStats = queueStats;
        // The decision counters are totals; the mode a decision was made in is attributed per second (a decision within
        // the second before a mode switch may be counted under the new mode). Per series the totals only grow.
        _modeSampler = new Timer(_ => SampleByMode(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        var m = _meter;
        m.CreateObservableCounter("outgate.decisions", ObserveDecisions, null, "Connection verdicts by verdict and by the mode in force");
        m.CreateObservableCounter("outgate.decisions.cached", () => decisions.Cached, null, "Verdicts taken from the decision cache");
        m.CreateObservableCounter("outgate.decisions.fresh", () => Math.Max(0, decisions.Allowed + decisions.Denied + decisions.Passed + decisions.Prompted - decisions.Cached), null,
            "Verdicts decided afresh (not cached); prompt answers are included");
        m.CreateObservableCounter("outgate.hash.mismatches", () => decisions.HashMismatches, null, "Connections whose binary did not match a pinned hash");
        m.CreateObservableCounter("outgate.connections.unattributed", () => attribution.Unattributed, null, "Connections no process was found for");
        m.CreateObservableGauge("outgate.prompts.open", () => prompts.Count, null, "Prompts waiting for an answer");
        m.CreateObservableGauge("outgate.mode", ObserveMode, null, "1 for the mode in force, 0 for the others");

        m.CreateObservableGauge("outgate.queue.running", () => queue.Error is null && queue.Queues.Count > 0 ? 1 : 0, null,
            "1 when the kernel queue is bound and its rules installed");
        m.CreateObservableGauge("outgate.queue.depth", ObserveQueueDepth, null, "Packets waiting in the kernel queue for a verdict (queue_total)");
        m.CreateObservableCounter("outgate.queue.dropped", ObserveQueueDrops, null,
            "Packets the kernel dropped: reason=full (queue_dropped, queue at its maximum length), reason=user (user_dropped, netlink socket buffer full)");

        m.CreateObservableCounter("outgate.events", () => ObserveEvents(events.Counters), null,
            "Events by outcome: accepted into the channel, written to events.db, dropped (channel full), failed (database error), pruned (retention)");
        m.CreateObservableGauge("outgate.events.pending", () => events.Pending, null, "Events accepted and not yet written");
        m.CreateObservableGauge("outgate.events.capacity", () => events.Capacity, null, "Size of the event channel (--event-queue)");

        m.CreateObservableCounter("outgate.alerts", () => ObserveAlerts(alerts), null,
            "Alerts by detector: outcome=raised (recorded) or suppressed (flood control, [alerts] dedup)");

        m.CreateObservableCounter("outgate.dns.answers", () => dns.Answers, null, "DNS answers read");
        m.CreateObservableCounter("outgate.dns.unreadable", () => dns.Unreadable, null, "Packets from port 53 that were not a readable DNS answer");
        m.CreateObservableCounter("outgate.dns.addresses", () => dns.Addresses, null, "Address records learned from DNS answers");
        m.CreateObservableGauge("outgate.dns.names.tracked", () => names.Count, null, "Addresses the name book holds names for");
        m.CreateObservableGauge("outgate.dns.domain.sets", () => dns.DomainSets, null, "Domain sets (nftables set pairs) filled from DNS answers");
        m.CreateObservableCounter("outgate.dns.set.writes", () => dns.SetWrites, null, "Transactions adding elements to domain sets");
        m.CreateObservableCounter("outgate.dns.set.elements", () => dns.Elements, null, "Elements added to domain sets");
        m.CreateObservableCounter("outgate.dns.set.errors", () => dns.SetErrors, null, "Domain set writes the kernel refused");

        m.CreateObservableCounter("outgate.tamper.restores", () => tamper.Restored, null, "Times the tamper guard put table inet outgate back");
        m.CreateObservableGauge("outgate.flows.tracked", () => flows.Count, null, "Connections remembered until conntrack reports their end");
    }

    private IEnumerable<Measurement<long>> ObserveDecisions()
    {
        SampleByMode();
        lock (_byModeGate)
            return _byMode.Select(kv => new Measurement<long>(kv.Value, new("verdict", kv.Key.Verdict), new("mode", kv.Key.Mode))).ToList();
    }

    /// <summary>Adds the growth of each verdict counter since the last sample to the mode in force now.</summary>
    private void SampleByMode()
    {
        Span<long> now = [_decisions.Allowed, _decisions.Denied, _decisions.Passed, _decisions.Prompted];
        var mode = _mode.Current.ToName();
        lock (_byModeGate)
        {
            for (var i = 0; i < now.Length; i++)
            {
                var delta = now[i] - _lastByVerdict[i];
                _lastByVerdict[i] = now[i];
                var key = (Verdicts[i], mode);
                if (delta > 0 || !_byMode.ContainsKey(key)) _byMode[key] = _byMode.GetValueOrDefault(key) + Math.Max(0, delta);
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveMode()
    {
        var current = _mode.Current;
        foreach (var mode in Enum.GetValues<DaemonMode>())
            yield return new Measurement<int>(mode == current ? 1 : 0, new KeyValuePair<string, object?>("mode", mode.ToName()));
    }

    /// <summary>Our queues only (connection queues and the DNS queue): another program's queues in the namespace are not ours to report.</summary>
    private IEnumerable<NfQueueStat> OurQueues()
    {
        var ours = _queue.Queues;
        if (ours.Count == 0) return [];
        var dnsQueue = _options.Kernel && _options.Dns ? _options.EffectiveDnsQueue : (ushort?)null;
        return _queueStats.Read().Where(s => ours.Contains(s.Queue) || s.Queue == dnsQueue);
    }

    private IEnumerable<Measurement<long>> ObserveQueueDepth() =>
        OurQueues().Select(s => new Measurement<long>(s.QueueTotal, new KeyValuePair<string, object?>("queue", QueueLabel(s.Queue)))).ToList();

    private IEnumerable<Measurement<long>> ObserveQueueDrops()
    {
        var list = new List<Measurement<long>>();
        foreach (var s in OurQueues())
        {
            list.Add(new Measurement<long>((long)s.QueueDropped, new("queue", QueueLabel(s.Queue)), new("reason", "full")));
            list.Add(new Measurement<long>((long)s.UserDropped, new("queue", QueueLabel(s.Queue)), new("reason", "user")));
        }
        return list;
    }

    private static string QueueLabel(ushort queue) => queue.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<Measurement<long>> ObserveEvents(EventCounters c) =>
    [
        new(c.Accepted, new KeyValuePair<string, object?>("outcome", "accepted")),
        new(c.Written, new KeyValuePair<string, object?>("outcome", "written")),
        new(c.Dropped, new KeyValuePair<string, object?>("outcome", "dropped")),
        new(c.Failed, new KeyValuePair<string, object?>("outcome", "failed")),
        new(c.Pruned, new KeyValuePair<string, object?>("outcome", "pruned")),
    ];

    private static IEnumerable<Measurement<long>> ObserveAlerts(AlertRaiser alerts)
    {
        var list = new List<Measurement<long>>();
        foreach (var (detector, (raised, suppressed)) in alerts.Counts)
        {
            list.Add(new Measurement<long>(raised, new("detector", detector), new("outcome", "raised")));
            list.Add(new Measurement<long>(suppressed, new("detector", detector), new("outcome", "suppressed")));
        }
        return list;
    }

    public void Dispose()
    {
        _modeSampler.Dispose();
        // Its own meter (not the static one of the histograms): disposing it ends the callbacks into this instance's services.
        _meter.Dispose();
    }
}
