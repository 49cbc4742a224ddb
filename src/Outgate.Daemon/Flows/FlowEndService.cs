using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Events;
using Outgate.Daemon.Hosting;
using Outgate.Daemon.Options;
using Outgate.Daemon.Queue;
using Outgate.Linux.Conntrack;
using Outgate.Linux.Netlink;

namespace Outgate.Daemon.Flows;

/// <summary>
/// Turns conntrack DESTROY events of the served namespace into flow-end events with bytes both
/// ways, attributed to the program the queue saw open the flow (<see cref="FlowBook"/>). Turns on
/// nf_conntrack_acct in that namespace first (counters exist only for flows created afterwards).
/// With the kernel decision cache on, NEW events of the connections it labelled (they never reached the queue) become
/// their decision events, and the flow gets the owner the queue gave the program's first connection there.
/// </summary>
public sealed partial class FlowEndService(
    DaemonOptions options, TargetNamespace target, FlowBook flows, EventSink events, TimeProvider time,
    ILogger<FlowEndService> logger, Traffic.TrafficMeter? meter = null, KernelVerdicts? kernel = null, DecisionCounters? counters = null) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Kernel) return Task.CompletedTask;
        var thread = new Thread(() => Run(stoppingToken)) { IsBackground = true, Name = "conntrack-events" };
        thread.Start();
        return Task.CompletedTask;
    }

    private void Run(CancellationToken stoppingToken)
    {
        ConntrackEventListener? listener = null;
        var warned = false;
        while (!stoppingToken.IsCancellationRequested && listener is null)
        {
            try
            {
                listener = target.Run(() =>
                {
                    // The queue rules load nf_conntrack; until then the sysctl does not exist.
                    ConntrackSettings.EnableAccounting();
                    var groups = kernel is { Active: true } ? ConntrackEventGroups.New | ConntrackEventGroups.Destroy : ConntrackEventGroups.Destroy;
                    return ConntrackEventListener.Open(groups, receiveTimeout: TimeSpan.FromMilliseconds(250));
                });
            }
            catch (Exception ex) when (ex is IOException or NetlinkException or UnauthorizedAccessException)
            {
                if (!warned) LogWaiting(logger, ex.Message);
                warned = true;
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
        if (listener is null) return;
        using (listener)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    listener.Receive(static (in ConntrackEvent e, FlowEndService self) => self.Record(e), this);
                }
                catch (NetlinkException ex)
                {
                    LogReceiveFailed(logger, ex.Message);
                    stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
                }
            }
        }
    }

    private void Record(in ConntrackEvent e)
    {
        if (e.Type == ConntrackEventType.New)
        {
            RecordLabelled(e);
            return;
        }
        if (e.Type != ConntrackEventType.Destroy) return;
        var o = e.Original;
        var owner = flows.Forget(new FlowKey(o.Protocol, o.Source, o.SourcePort, o.Destination, o.DestinationPort));
        // The meter adds what the flow sent since its last dump: an upload shorter than a dump interval counts too.
        if (e.OriginalCounters is not null) meter?.Ended(Traffic.FlowSample.Of(e), owner, time.GetUtcNow());
        events.TryWrite(new DaemonEvent(time.GetUtcNow(), EventType.FlowEnd, owner?.Process)
        {
            Proto = QueueService.ProtocolName(o.Protocol),
            Src = o.SourceAddress.ToString(),
            SrcPort = o.SourcePort,
            Dst = o.DestinationAddress.ToString(),
            DstPort = o.DestinationPort,
            Domain = owner?.Domain,
            Tags = owner?.Tags,
            Verdict = owner?.Verdict,
            Rule = owner?.DecidedBy,
            BytesOut = e.OriginalCounters is { } sent ? (long)sent.Bytes : null,
            BytesIn = e.ReplyCounters is { } received ? (long)received.Bytes : null,
        });
    }

    private static readonly Outgate.Policy.ProcessFacts UnknownProgram = new();

    /// <summary>A connection the kernel cache labelled at connect: the decision event the queue would have written.</summary>
    private void RecordLabelled(in ConntrackEvent e)
    {
        var o = e.Original;
        if (kernel is null || e.Mark is not { } mark || !kernel.TryTake(mark, o.Destination, o.DestinationPort, out var decision)) return;
        var allowed = (mark & Outgate.Policy.DaemonMarks.Allow) != 0;
        // Never silently lost: a labelled connection whose program is no longer known is still recorded, by its mark.
        var owner = decision?.Owner ?? new FlowOwner(UnknownProgram, "allow", allowed ? "kernel decision cache: a program rule" : "kernel decision cache: the static rules");
        if (decision is not null) flows.Remember(new FlowKey(o.Protocol, o.Source, o.SourcePort, o.Destination, o.DestinationPort), owner);
        counters?.Count(allowed ? AppVerdict.Allow : AppVerdict.Pass, cached: true, prompted: false);
        events.TryWrite(new DaemonEvent(time.GetUtcNow(), EventType.Decision, decision is null ? null : owner.Process)
        {
            Severity = EventSeverity.Info,
            Message = decision is null ? "decided at connect by the kernel cache; the program's details were already dropped" : decision.Value.Message,
            Proto = QueueService.ProtocolName(o.Protocol),
            Src = o.SourceAddress.ToString(),
            SrcPort = o.SourcePort,
            Dst = o.DestinationAddress.ToString(),
            DstPort = o.DestinationPort,
            Domain = owner.Domain,
            Tags = owner.Tags,
            Verdict = owner.Verdict,
            Rule = owner.DecidedBy,
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "conntrack events not available yet in the served namespace ({Reason}); retrying every second")]
    private static partial void LogWaiting(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "conntrack events: receive failed: {Reason}")]
    private static partial void LogReceiveFailed(ILogger logger, string reason);
}
