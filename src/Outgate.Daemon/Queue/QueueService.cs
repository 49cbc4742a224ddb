using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Alerts;
using Outgate.Daemon.Alerts.Detectors;
using Outgate.Daemon.Attribution;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Dns;
using Outgate.Daemon.Events;
using Outgate.Daemon.Flows;
using Outgate.Daemon.Hosting;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Daemon.Prompts;
using Outgate.Linux.Netlink;
using Outgate.Linux.Packets;
using Outgate.Linux.Queue;
using AppVerdict = Outgate.Daemon.Decisions.AppVerdict;
using Outgate.Policy;

namespace Outgate.Daemon.Queue;

/// <summary>
/// The data path: installs the queue rules in the served namespace, binds one NFQUEUE per CPU
/// (kernel fanout) and gives every new outgoing connection a verdict: packet → attribution →
/// cached or fresh <see cref="ConnectionDecider"/> decision → mark → event. Prompts park the packet
/// (no verdict yet) and are released by the answer or the timeout. A queue thread never waits on
/// disk or the network: events go to a bounded channel, prompts to <see cref="PromptBook"/>.
/// </summary>
public sealed partial class QueueService(
    DaemonOptions options, TargetNamespace target, LivePolicy policy, ModeState mode, DecisionCache cache,
    PromptBook prompts, QueueVerdicts mailboxes, ConnectionAttribution attribution, InterfaceNames interfaces,
    FlowBook flows, EventSink events, DecisionCounters counters, QueueState state, NameBook names, ResolverConfig resolvers,
    AlertRaiser alerts, ConnectionDetectors detectors, KernelVerdicts kernel, TimeProvider time, ILogger<QueueService> logger) : BackgroundService
{
    private readonly List<NfQueue> _queues = [];

    private QueueRuleInstaller? _installer;
    private QueueRuleOptions? _ruleOptions;

    /// <summary>How often the queue rules are checked for removal by others (they are what sends connections to us).</summary>
    private static readonly TimeSpan RuleCheckInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Binds the queues and installs the queue rules before the host goes on (and before the API
    /// answers), so a client that sees the daemon up can rely on its connections being decided.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var installer = new QueueRuleInstaller(target.Name);
        var ruleOptions = new QueueRuleOptions
        {
            FirstQueue = options.FirstQueue,
            QueueCount = (ushort)options.QueueCount,
            DnsQueue = options.Dns ? options.EffectiveDnsQueue : null,
            KernelMark = kernel.Active ? DaemonMarks.Kernel : 0,
        };
        try
        {
            foreach (var number in ruleOptions.QueueNumbers)
                _queues.Add(target.Run(() => NfQueue.Open(number, new NfQueueOptions
                {
                    ReceiveTimeout = TimeSpan.FromMilliseconds(50),
                    // Room for the DNS query in a udp/53 flow's first packet (dns-tunnel, dns-port detectors); a TCP SYN
                    // is shorter than the old 128 anyway, so only UDP packets with data get copied further.
                    CopyRange = 512,
                })));
            state.Path = await installer.InstallAsync(ruleOptions, cancellationToken: cancellationToken);
            state.Queues = _queues.Select(q => q.QueueNumber).ToArray();
            _installer = installer;
            _ruleOptions = ruleOptions;
        }
        catch (Exception ex) when (ex is NetlinkException or QueueRuleException or NfQueueBusyException)
        {
            state.Error = ex.Message;
            LogQueueFailed(logger, ex.Message);
            Record(EventType.Health, EventSeverity.Critical, $"the kernel queue could not be set up, no per-program decisions are made: {ex.Message}");
            foreach (var q in _queues) q.Dispose();
            _queues.Clear();
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_installer is not { } installer) return;
        LogQueueReady(logger, state.Path.ToString().ToLowerInvariant(), string.Join(',', state.Queues));

        // Each thread lives on the CPUs whose packets its queue gets (the rules fan out by CPU).
        var threads = _queues.Select((q, i) => new Thread(() =>
        {
            QueueThreadAffinity.TryPinCurrentThread(i, _queues.Count);
            Run(q, stoppingToken);
        }) { IsBackground = true, Name = $"nfqueue-{q.QueueNumber}" }).ToList();
        foreach (var t in threads) t.Start();
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100), time);
            var nextRuleCheck = time.GetUtcNow() + RuleCheckInterval;
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var expired in prompts.TakeExpired())
                    Release(expired, options.PromptDefault, "no answer in time: prompt default");
                if (time.GetUtcNow() >= nextRuleCheck)
                {
                    await KeepRulesInstalledAsync(installer, stoppingToken);
                    nextRuleCheck = time.GetUtcNow() + RuleCheckInterval;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var t in threads) t.Join(TimeSpan.FromSeconds(2));
        foreach (var prompt in prompts.TakeAll())
            Release(prompt, options.PromptDefault, "daemon stopping: prompt default");
        DrainAll();
        foreach (var q in _queues) q.Dispose();
        if (mode.Current == DaemonMode.Learn)
        {
            // Learn mode promises nothing is blocked: without the daemon, nothing may wait for it.
            await installer.RemoveAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Without the queue rules, new connections never reach the daemon: program rules, prompts and
    /// lockdown stop applying. Someone deleting them (iptables -F, nft delete table) gets them put
    /// back within seconds and a critical alert, like the tamper guard does for table inet outgate.
    /// </summary>
    private async Task KeepRulesInstalledAsync(QueueRuleInstaller installer, CancellationToken stoppingToken)
    {
        if (_ruleOptions is not { } ruleOptions) return;
        try
        {
            if (await installer.IsIntactAsync(ruleOptions, state.Path, stoppingToken)) return;
            await installer.InstallAsync(ruleOptions, state.Path, stoppingToken);
            LogRulesRestored(logger);
            alerts.Raise("tamper-guard", "queue-rules", new DaemonEvent
            {
                Time = time.GetUtcNow(),
                Type = EventType.Alert,
                Severity = EventSeverity.Critical,
                Message = "the queue rules that send new connections to outgated were removed outside outgate; they were put back",
                Details = $"object=queue-rules; path={state.Path.ToString().ToLowerInvariant()}; action=restored",
            });
        }
        catch (OperationCanceledException)
        {
        }
        catch (QueueRuleException ex)
        {
            state.Error = ex.Message;
            LogQueueFailed(logger, ex.Message);
        }
    }

    /// <summary>Answers a prompt's waiting packets and records the decision.</summary>
    public void Release(Prompt prompt, AppVerdict verdict, string decidedBy)
    {
        foreach (var packet in prompt.Waiting) mailboxes.Post(packet, verdict);
        counters.CountAnswer(verdict);
        var outcome = verdict == AppVerdict.Deny ? "reject" : "allow";
        Record(EventType.Decision, EventSeverity.Info, $"{prompt.Process.ExecutablePath ?? "unknown program"} → {prompt.Key.Destination}:{prompt.Key.Port}: {outcome} ({decidedBy}, {prompt.Waiting.Count} connection(s) released)",
            prompt.Process, outcome, decidedBy, ProtocolName(prompt.Key.Protocol), null, null, prompt.Key.Destination, prompt.Key.Port);
    }

    private void Run(NfQueue queue, CancellationToken stoppingToken)
    {
        var worker = new Worker(this, queue);
        var mailbox = mailboxes.MailboxOf(queue.QueueNumber);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                queue.Receive(static (in QueuedPacket p, Worker w) => w.Handle(p), worker);
                while (mailbox.TryDequeue(out var v)) queue.SetVerdict(v.Id, NfQueueVerdict.Accept, v.Mark);
            }
            catch (NetlinkException ex)
            {
                LogReceiveFailed(logger, queue.QueueNumber, ex.Message);
                Thread.Sleep(10);
            }
        }
    }

    private void DrainAll()
    {
        foreach (var q in _queues)
        {
            var mailbox = mailboxes.MailboxOf(q.QueueNumber);
            while (mailbox.TryDequeue(out var v))
            {
                try { q.SetVerdict(v.Id, NfQueueVerdict.Accept, v.Mark); }
                catch (NetlinkException) { }
            }
        }
    }

    private sealed class Worker(QueueService service, NfQueue queue)
    {
        public void Handle(in QueuedPacket packet)
        {
            if (!packet.TryGetFlow(out var flow))
            {
                // Not a packet we can read: leave it to the static rules rather than guess.
                queue.SetVerdict(packet.Id, NfQueueVerdict.Accept, VerdictMarks.For(AppVerdict.Pass, packet.Mark));
                return;
            }
            var started = Stopwatch.GetTimestamp();
            // The first packet of a udp/53 flow carries the query: dns-port and dns-tunnel judge it.
            var dns = flow.Protocol == PacketParser.IPPROTO_UDP && flow.DestinationPort == 53 && packet.TryGetUdpPayload(out var data, out var cut)
                ? UdpDnsProbe.Of(data, cut)
                : UdpDnsProbe.None;
            var verdict = service.Decide(flow, packet.HasUid, packet.Uid, packet.Gid, packet.OutputInterface,
                new QueuedPacketRef(queue.QueueNumber, packet.Id, packet.Mark), dns, out var offer);
            if (verdict is { } v) queue.SetVerdict(packet.Id, NfQueueVerdict.Accept, VerdictMarks.For(v, packet.Mark));
            // After the verdict: handing the decision to the kernel cache must not delay this connection.
            if (offer is { } o) service.OfferToKernel(o);
            Metrics.OutgateMeter.DecisionSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>The verdict now, or null when the packet was parked on a prompt.</summary>
    private AppVerdict? Decide(in PacketFlow flow, bool hasUid, uint uid, uint gid, uint outInterface, QueuedPacketRef packet, in UdpDnsProbe dns,
        out KernelOffer? offer)
    {
        offer = null;
        var now = time.GetUtcNow();
        var process = attribution.Attribute(flow, hasUid, uid, gid);
        var snapshot = policy.Current;
        var currentMode = mode.Current;
        var destination = flow.DestinationAddress;
        var lookup = names.Lookup(destination);
        var key = DecisionKey.Of(process, flow.Destination, flow.DestinationPort, flow.Protocol, flow.IsIPv6, outInterface, lookup.Version);
        var cached = cache.TryGet(key, snapshot.Generation, (int)currentMode, now, out var decision);
        if (!cached)
        {
            var facts = new PacketFacts(Direction.Out, null, interfaces.NameOf(outInterface), flow.Protocol,
                flow.SourceAddress, destination, flow.SourcePort, flow.DestinationPort, flow.Protocol is 1 or 58 ? flow.IcmpTypeCode >> 8 : -1)
            {
                DestinationNames = lookup.Names,
            };
            decision = ConnectionDecider.Decide(snapshot, currentMode, facts, process, now);
            // A decision about a name lasts no longer than the answer that gave the address that name.
            if (lookup.Expires is { } namesExpire && (decision.ValidUntil is not { } until || namesExpire < until))
                decision = decision with { ValidUntil = namesExpire };
            cache.Add(key, snapshot.Generation, (int)currentMode, decision);
            foreach (var rule in decision.HashMismatches)
            {
                counters.CountHashMismatch();
                alerts.Raise("hash-changed", $"{process.ExecutablePath}|{process.Sha256}|{rule.ToUfwString()}", AlertEvent.For(EventSeverity.Warning,
                    $"{process.ExecutablePath} does not match the hash pinned by '{rule.ToUfwString()}': the binary changed (sha256 now {process.Sha256})",
                    $"sha256={process.Sha256}; pinned={rule.Subject?.Sha256}; rule={AlertEvent.Value(rule.ToUfwString())}",
                    process, new ConnectionFacts(ProtocolName(flow.Protocol), flow.SourceAddress.ToString(), flow.SourcePort, flow.DestinationAddress.ToString(), flow.DestinationPort)));
            }
        }

        if (decision.Prompt)
        {
            if (decision.ConnectBack is not null)
                detectors.Inspect(process, new ConnectionFacts(ProtocolName(flow.Protocol), flow.SourceAddress.ToString(), flow.SourcePort, destination.ToString(), flow.DestinationPort,
                    lookup.Domain, "prompt"), destination, flow.Destination, flow.DestinationPort, flow.Protocol, lookup.Names, decision, dns, now);
            var prompt = prompts.Park(new PromptKey(process.ExecutablePath, process.Uid, flow.DestinationAddress.ToString(), flow.DestinationPort, flow.Protocol),
                process, packet, options.PromptTimeout);
            counters.Count(AppVerdict.Pass, cached, prompted: true);
            if (prompt is not null)
            {
                if (prompt.Waiting.Count == 1)
                    Record(EventType.Decision, EventSeverity.Notice, $"{process.ExecutablePath ?? "unknown program"} wants {flow.DestinationAddress}:{flow.DestinationPort}: prompt {prompt.Id}",
                        process, "prompt", decision.DecidedBy, ProtocolName(flow.Protocol), flow.SourceAddress.ToString(), flow.SourcePort, flow.DestinationAddress.ToString(), flow.DestinationPort);
                return null;
            }
            decision = decision with { Verdict = options.PromptDefault, Outcome = options.PromptDefault == AppVerdict.Deny ? "reject" : "allow", DecidedBy = "too many open prompts: prompt default", Prompt = false };
        }

        counters.Count(decision.Verdict, cached, prompted: false);
        var src = flow.SourceAddress.ToString();
        var dst = destination.ToString();
        var domain = decision.MatchedName ?? lookup.Domain;
        var tags = ConnectionTags.For(destination, flow.DestinationPort, flow.Protocol, lookup.Names);
        var owner = OwnerOf(process, decision.Outcome, decision.DecidedBy, domain, tags);
        flows.Remember(new FlowKey(flow.Protocol, flow.Source, flow.SourcePort, flow.Destination, flow.DestinationPort), owner);
        var message = decision.WouldBe is { } wouldBe ? $"learn mode let through what would be: {wouldBe}" : null;
        if (tags is not null && message is null && tags.StartsWith(ConnectionTags.NoDns, StringComparison.Ordinal))
            message = "direct connection to an address no DNS lookup returned";
        offer = new KernelOffer(snapshot, currentMode, process, flow, decision, lookup, owner, message, now);
        Record(EventType.Decision, decision.Outcome == "allow" ? EventSeverity.Info : EventSeverity.Notice, message,
            process, decision.Outcome, decision.DecidedBy, ProtocolName(flow.Protocol), src, flow.SourcePort, dst, flow.DestinationPort, domain, tags);
        var connection = new ConnectionFacts(ProtocolName(flow.Protocol), src, flow.SourcePort, dst, flow.DestinationPort, domain, decision.Outcome, tags);
        if (ConnectionTags.IsEncryptedDns(tags) && !resolvers.IsConfigured(destination))
        {
            var kind = tags!.Contains(ConnectionTags.Dot, StringComparison.Ordinal) ? "DNS over TLS" : "DNS over HTTPS";
            alerts.Raise("encrypted-dns", $"{process.ExecutablePath}|{dst}", AlertEvent.For(EventSeverity.Warning,
                $"{process.ExecutablePath ?? "unknown program"} uses {kind} with {dst}:{flow.DestinationPort}, not a resolver of {resolvers.Path}: its lookups bypass Outgate's domain rules ({decision.Outcome})",
                $"kind={(kind == "DNS over TLS" ? "dot" : "doh")}; resolver={dst}; port={flow.DestinationPort}; outcome={decision.Outcome}", process, connection));
        }
        detectors.Inspect(process, connection, destination, flow.Destination, flow.DestinationPort, flow.Protocol, lookup.Names, decision, dns, now);
        return decision.Verdict;
    }

    private void OfferToKernel(in KernelOffer o) => kernel.Offer(o.Snapshot, o.Mode, o.Process, o.Flow, o.Decision, o.Lookup, o.Owner, o.Message, o.Now);

    /// <summary>What <see cref="KernelVerdicts.Offer"/> gets, once the connection has its verdict.</summary>
    private readonly record struct KernelOffer(PolicySnapshot Snapshot, DaemonMode Mode, ProcessFacts Process, PacketFlow Flow, ConnectionDecision Decision,
        NameLookup Lookup, FlowOwner Owner, string? Message, DateTimeOffset Now);

    /// <summary>
    /// The queue thread's previous <see cref="FlowOwner"/> when it says the same (immutable, so shared). A busy program's
    /// connections all get one owner instead of one each: the flow book holds a flow until conntrack forgets it (10 s
    /// after an RST, 2 min after a FIN), which at 8,000 connections/s was 80,000 owners alive.
    /// </summary>
    [ThreadStatic] private static FlowOwner? t_lastOwner;

    private static FlowOwner OwnerOf(ProcessFacts process, string verdict, string decidedBy, string? domain, string? tags)
    {
        if (t_lastOwner is { } last && ReferenceEquals(last.Process, process) && last.Verdict == verdict && last.DecidedBy == decidedBy
            && last.Domain == domain && last.Tags == tags)
            return last;
        return t_lastOwner = new FlowOwner(process, verdict, decidedBy, domain, tags);
    }

    private void Record(EventType type, EventSeverity severity, string? message, ProcessFacts? process = null, string? verdict = null,
        string? rule = null, string? proto = null, string? src = null, int? srcPort = null, string? dst = null, int? dstPort = null,
        string? domain = null, string? tags = null)
    {
        events.TryWrite(new DaemonEvent(time.GetUtcNow(), type, process)
        {
            Severity = severity,
            Message = message,
            Proto = proto,
            Src = src,
            SrcPort = srcPort,
            Dst = dst,
            DstPort = dstPort,
            Domain = domain,
            Tags = tags,
            Verdict = verdict,
            Rule = rule,
        });
    }

    public static string ProtocolName(byte protocol) => protocol switch
    {
        6 => "tcp",
        17 => "udp",
        1 => "icmp",
        58 => "ipv6-icmp",
        136 => "udplite",
        132 => "sctp",
        _ => protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "kernel queue ready: {Path} path, queues {Queues}")]
    private static partial void LogQueueReady(ILogger logger, string path, string queues);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Critical, Message = "kernel queue setup failed: {Reason}")]
    private static partial void LogQueueFailed(ILogger logger, string reason);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Critical, Message = "queue rules were removed outside outgate: reinstalled")]
    private static partial void LogRulesRestored(ILogger logger);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Error, Message = "queue {Queue}: receive failed: {Reason}")]
    private static partial void LogReceiveFailed(ILogger logger, ushort queue, string reason);
}
