using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Alerts.Detectors;
using Outgate.Daemon.Hosting;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Linux.Dns;
using Outgate.Linux.Netlink;
using Outgate.Linux.Nftables;
using Outgate.Linux.Packets;
using Outgate.Linux.Queue;

namespace Outgate.Daemon.Dns;

/// <summary>
/// Reads every DNS answer on its way to the resolver client (the DNS queue: udp/tcp source port 53,
/// loopback included so a local stub's answers count too), remembers address → names in
/// <see cref="NameBook"/>, and puts each answered address into the kernel sets of the domain rules
/// it matches, with the TTL plus the policy's grace as the element timeout, BEFORE the answer is let
/// through: the client cannot connect before its address is allowed, so the first connection after
/// a lookup never races the set. Anything unreadable is passed on untouched (DNS never breaks
/// because of us); the queue rule has bypass, so with the daemon gone DNS keeps working while
/// domain connections fail closed.
/// </summary>
public sealed partial class DnsTrackerService(
    DaemonOptions options, TargetNamespace target, LivePolicy policy, NameBook names, DnsCounters counters,
    DomainSetRefill refill, DnsTunnelDetector dnsTunnel, BlocklistDetector blocklist, TimeProvider time, ILogger<DnsTrackerService> logger) : BackgroundService
{
    private NfQueue? _queue;
    private NftSetElementWriter? _writer;
    private DnsSetPlan? _plan;
    private readonly DnsTcpStreams _tcp = new(time: time);
    private readonly List<NftSetElement> _pending = [];
    private DateTimeOffset _now;
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromSeconds(1);
    private DateTimeOffset _lastWriteWarning = DateTimeOffset.MinValue;

    /// <summary>The queue is bound before the queue rules go in (<see cref="Queue.QueueService"/> installs them), so no answer is missed.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Kernel && options.Dns)
        {
            try
            {
                _queue = target.Run(() => NfQueue.Open(options.EffectiveDnsQueue, new NfQueueOptions
                {
                    // Whole answers: EDNS answers reach 4 KiB; a cut answer would lose its last records.
                    CopyRange = 65535,
                    ReceiveTimeout = TimeSpan.FromMilliseconds(100),
                    UidGid = false,
                    QueuedMark = 0,
                    // A full DNS queue must not turn into a DNS outage.
                    FailOpen = true,
                }));
                _writer = new NftSetElementWriter(target.Name);
            }
            catch (Exception ex) when (ex is NetlinkException or NfQueueBusyException or NftUnavailableException)
            {
                LogUnavailable(logger, ex.Message);
                _queue?.Dispose();
                _queue = null;
            }
        }
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_queue is not { } queue) return Task.CompletedTask;
        var done = new TaskCompletionSource();
        new Thread(() =>
        {
            try { Run(queue, stoppingToken); }
            finally { done.TrySetResult(); }
        }) { IsBackground = true, Name = $"dns-queue-{queue.QueueNumber}" }.Start();
        return done.Task;
    }

    private void Run(NfQueue queue, CancellationToken stoppingToken)
    {
        using (queue)
        using (_writer)
        {
            long generation = -1;
            var lastPrune = time.GetUtcNow();
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var snapshot = policy.Current;
                    if (snapshot.Generation != generation)
                    {
                        _plan = DnsSetPlan.For(snapshot, time.GetUtcNow());
                        counters.DomainSets = _plan.BindingCount;
                        generation = snapshot.Generation;
                        refill.Request();
                    }
                    if (refill.TryTake()) Refill();
                    queue.Receive(static (in QueuedPacket p, (DnsTrackerService Self, NfQueue Queue) s) => s.Self.Handle(p, s.Queue), (this, queue));
                    var now = time.GetUtcNow();
                    if (now - lastPrune > TimeSpan.FromSeconds(30))
                    {
                        names.Prune(now);
                        _tcp.ExpireIdle();
                        lastPrune = now;
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Whatever one answer did, the next ones must still be read: DNS tracking never stops.
                    LogReceiveFailed(logger, ex.Message);
                    _pending.Clear();
                    stoppingToken.WaitHandle.WaitOne(10);
                }
            }
        }
    }

    private void Handle(in QueuedPacket packet, NfQueue queue)
    {
        try
        {
            Read(packet.Payload);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One bad answer (or a writer failure) must neither kill the tracker nor hold the packets behind it.
            counters.CountUnreadable();
            _pending.Clear();
            LogReceiveFailed(logger, ex.Message);
        }
        finally
        {
            // Always let the answer through, after its addresses are in the sets.
            queue.SetVerdict(packet.Id, NfQueueVerdict.Accept, packet.Mark);
        }
    }

    private void Read(ReadOnlySpan<byte> ipPacket)
    {
        _now = time.GetUtcNow();
        if (!IpPacket.TryRead(ipPacket, out var ip))
        {
            counters.CountUnreadable();
            return;
        }
        if (ip.Protocol == PacketParser.IPPROTO_UDP)
        {
            if (UdpDatagram.TryRead(ip.Transport, out var udp) && !udp.IsTruncated) Learn(udp.Payload);
            else counters.CountUnreadable();
        }
        else if (ip.Protocol == PacketParser.IPPROTO_TCP)
        {
            // Answers over TCP arrive as a byte stream: whole messages come out once reassembled.
            _tcp.Feed(ipPacket, static (message, self) => self.Learn(message), this);
        }
        Flush();
    }

    private void Learn(ReadOnlySpan<byte> message)
    {
        var now = _now;
        if (!DnsAnswerParser.TryParse(message, out var answer, out _) || !answer.IsResponse)
        {
            counters.CountUnreadable();
            return;
        }
        counters.CountAnswer(answer.Mappings.Count);
        if (answer.QuestionName.Length > 0)
        {
            // The question of every answer, also of lookups whose query the connection queue did not see (a local stub's upstream).
            dnsTunnel.ObserveAnswer(answer.QuestionName, (ushort)answer.QuestionType, answer.Id);
            blocklist.CheckQuery(answer.QuestionName, null, default);
        }
        if (answer.Mappings.Count == 0 || _plan is not { } plan) return;
        foreach (var mapping in answer.Mappings)
        {
            // TTL 0 ("do not cache") still has to let the connection that follows through.
            var timeout = TimeSpan.FromSeconds(mapping.Ttl) + plan.Grace;
            if (timeout < MinimumTimeout) timeout = MinimumTimeout;
            names.Remember(mapping.Address, mapping.Names, now + timeout);
            plan.AddElements(mapping.Address, mapping.Names, timeout, _pending);
        }
    }

    private void Refill()
    {
        if (_plan is not { } plan) return;
        // The sets were emptied (a new table): what the writer remembers about them is stale.
        _writer?.ForgetExpiries(DnsSetPlan.Table);
        var now = time.GetUtcNow();
        foreach (var (address, live) in names.Live())
        {
            // Each name keeps its own remaining time: the set must not outlive the answer.
            foreach (var name in live)
            {
                var left = name.Expires - now;
                if (left > TimeSpan.Zero) plan.AddElements(address, [name.Name], left, _pending);
            }
        }
        counters.CountRefill();
        Flush();
    }

    private void Flush()
    {
        if (_pending.Count == 0 || _writer is not { } writer) return;
        var started = Stopwatch.GetTimestamp();
        NftSetWriteResult result;
        try
        {
            result = writer.Add(_pending);
        }
        catch (NetlinkException ex)
        {
            counters.CountWrite(_pending.Count, Stopwatch.GetElapsedTime(started), failed: true);
            if (_now - _lastWriteWarning > TimeSpan.FromMinutes(1))
            {
                _lastWriteWarning = _now;
                LogWriteFailed(logger, ex.Message);
            }
            _pending.Clear();
            return;
        }
        counters.CountWrite(_pending.Count, Stopwatch.GetElapsedTime(started), !result.Succeeded);
        // A disabled firewall (no table) refuses every write: say so once a minute, the counter has the rest.
        if (!result.Succeeded && _now - _lastWriteWarning > TimeSpan.FromMinutes(1))
        {
            _lastWriteWarning = _now;
            LogWriteFailed(logger, result.ToString());
        }
        _pending.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS answers are not read (domain rules will not match): {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "DNS queue: {Reason}")]
    private static partial void LogReceiveFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "domain set update failed: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string reason);
}
