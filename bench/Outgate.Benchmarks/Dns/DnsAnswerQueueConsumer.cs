using System.Diagnostics;
using Outgate.Linux.Dns;
using Outgate.Linux.Netlink;
using Outgate.Linux.Packets;
using Outgate.Linux.Queue;

namespace Outgate.Benchmarks.Dns;

/// <summary>
/// Scenario (b): the smallest DNS tracker that does the real work on the real path — every DNS
/// answer queued on one NFQUEUE (iptables-nft <c>--sport 53 -j NFQUEUE</c> in the client
/// namespace) is parsed with <see cref="DnsAnswerParser"/> and then accepted. Nothing is stored:
/// what it measures is the queue round trip plus the parse. One thread, batched ACCEPT verdicts
/// after parsing everything the receive drained (the packets wait until their answer is read,
/// as they would while a tracker updates its sets).
/// </summary>
internal sealed class DnsAnswerQueueConsumer : IDisposable
{
    private readonly NfQueue _queue;
    private readonly Thread _thread;
    private readonly State _state = new();
    private volatile bool _stop;

    private sealed class State
    {
        public uint MaxId;
        public long Parsed, Refused, NotDns, Mappings, ParseTicks, Batches;
        public byte[] LastAnswer = [];
    }

    public readonly record struct Snapshot(long Packets, long Parsed, long Refused, long NotDns, long Mappings, long Batches, long Overruns, double ParseMicros);

    private DnsAnswerQueueConsumer(NfQueue queue)
    {
        _queue = queue;
        _thread = new Thread(Loop) { IsBackground = true, Name = $"dns nfqueue {queue.QueueNumber}" };
        _thread.Start();
    }

    /// <summary>Binds queue <paramref name="number"/> in <paramref name="networkNamespace"/>, copying whole packets (DNS answers exceed the default 128 bytes).</summary>
    public static DnsAnswerQueueConsumer Open(string networkNamespace, ushort number) =>
        new(NetworkNamespaceScope.Run(networkNamespace, () => NfQueue.Open(number, new NfQueueOptions { CopyRange = 65535, ReceiveTimeout = TimeSpan.FromMilliseconds(50) })));

    public Snapshot Read()
    {
        lock (_state)
            return new(_queue.Counters.Packets, _state.Parsed, _state.Refused, _state.NotDns, _state.Mappings, _state.Batches, _queue.Counters.Overruns,
                _state.ParseTicks * 1e6 / Stopwatch.Frequency);
    }

    /// <summary>
    /// The parse alone, hot: the last answer seen, parsed <paramref name="count"/> times in a
    /// loop after a warm-up (µs each) — to tell the parser's own cost from cold caches and a
    /// thread that wakes once per packet on the real path.
    /// </summary>
    public double HotParseMicros(int count = 20_000)
    {
        byte[] answer;
        lock (_state) answer = _state.LastAnswer;
        if (answer.Length == 0) return 0;
        for (var i = 0; i < 2000; i++) DnsAnswerParser.TryParse(answer, out _, out _);
        Thread.Sleep(300); // let tiered compilation finish
        for (var i = 0; i < 2000; i++) DnsAnswerParser.TryParse(answer, out _, out _);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++) DnsAnswerParser.TryParse(answer, out _, out _);
        return (Stopwatch.GetTimestamp() - start) * 1e6 / Stopwatch.Frequency / count;
    }

    private void Loop()
    {
        var deadline = Environment.TickCount64 + 3_600_000; // bounded even if Dispose is never called
        while (!_stop && Environment.TickCount64 < deadline)
        {
            int n;
            lock (_state)
            {
                n = _queue.Receive(static (in QueuedPacket packet, State s) =>
                {
                    s.MaxId = packet.Id;
                    var start = Stopwatch.GetTimestamp();
                    if (!TryGetDnsMessage(packet.Payload, out var message)) { s.NotDns++; return; }
                    if (DnsAnswerParser.TryParse(message, out var answer, out _))
                    {
                        s.Parsed++;
                        s.Mappings += answer.Mappings.Count;
                        if (s.LastAnswer.Length != message.Length) s.LastAnswer = message.ToArray();
                        else message.CopyTo(s.LastAnswer);
                    }
                    else s.Refused++;
                    s.ParseTicks += Stopwatch.GetTimestamp() - start;
                }, _state, maxPackets: 64);
                if (n > 0)
                {
                    _queue.SetVerdictBatch(_state.MaxId, NfQueueVerdict.Accept);
                    _state.Batches++;
                }
            }
            if (n == 0) Thread.Yield();
        }
    }

    /// <summary>
    /// The DNS message in an IP packet: the UDP payload, or for TCP one whole framed message at the
    /// start of the segment (enough here: one query in flight per connection; the daemon's tracker
    /// reassembles streams with <see cref="DnsTcpMessageFramer"/>). ACKs and handshakes are not DNS.
    /// </summary>
    private static bool TryGetDnsMessage(ReadOnlySpan<byte> packet, out ReadOnlySpan<byte> message)
    {
        message = default;
        if (!PacketParser.TryParse(packet, out var flow)) return false;
        if (flow.Protocol == PacketParser.IPPROTO_UDP)
        {
            if (packet.Length < flow.TransportOffset + 8) return false;
            message = packet[(flow.TransportOffset + 8)..];
            return true;
        }
        if (flow.Protocol != PacketParser.IPPROTO_TCP || packet.Length < flow.TransportOffset + 20) return false;
        var data = packet[(flow.TransportOffset + ((packet[flow.TransportOffset + 12] >> 4) * 4))..];
        if (data.IsEmpty || !DnsTcpMessageFramer.TryReadFramed(data, out var length, out _)) return false;
        message = data.Slice(2, length);
        return true;
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(5));
        _queue.Dispose();
    }
}
