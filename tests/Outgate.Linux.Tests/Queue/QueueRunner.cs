using System.Collections.Concurrent;
using Outgate.Linux.Netlink;
using Outgate.Linux.Packets;
using Outgate.Linux.Queue;

namespace Outgate.Linux.Tests.Queue;

/// <summary>
/// Opens queues inside a namespace and answers each packet on its own thread with
/// <c>decide</c> (null = leave it waiting). Bounded: threads end on dispose or after 60 s.
/// </summary>
internal sealed class QueueRunner : IDisposable
{
    private readonly List<Thread> _threads = [];
    private volatile bool _stop;

    public NfQueue[] Queues { get; }
    public ConcurrentQueue<SeenPacket> Seen { get; } = new();
    public ConcurrentQueue<Exception> Failures { get; } = new();

    public QueueRunner(string ns, IEnumerable<ushort> queueNumbers, Func<NfQueue, SeenPacket, (NfQueueVerdict Verdict, uint? Mark)?> decide,
        Func<PacketFlow, object?>? inspect = null, NfQueueOptions? options = null)
    {
        Queues = NetworkNamespaceScope.Run(ns, () => queueNumbers.Select(n => NfQueue.Open(n, options)).ToArray());
        foreach (var queue in Queues)
        {
            var thread = new Thread(() =>
            {
                var deadline = Environment.TickCount64 + 60_000;
                try
                {
                    while (!_stop && Environment.TickCount64 < deadline)
                        queue.Receive(static (in QueuedPacket packet, (QueueRunner Runner, NfQueue Queue, Func<NfQueue, SeenPacket, (NfQueueVerdict, uint?)?> Decide, Func<PacketFlow, object?>? Inspect) s) =>
                        {
                            var parsed = packet.TryGetFlow(out var flow);
                            var seen = new SeenPacket(packet.QueueNumber, packet.Id, packet.HasUid, packet.Uid, packet.Gid, parsed, flow, packet.OutputInterface,
                                parsed ? s.Inspect?.Invoke(flow) : null) { Mark = packet.Mark };
                            s.Runner.Seen.Enqueue(seen);
                            if (s.Decide(s.Queue, seen) is { } decision) s.Queue.SetVerdict(packet.Id, decision.Item1, decision.Item2);
                        }, (this, queue, decide, inspect));
                }
                catch (Exception ex)
                {
                    Failures.Enqueue(ex);
                }
            }) { IsBackground = true, Name = $"nfqueue {queue.QueueNumber}" };
            thread.Start();
            _threads.Add(thread);
        }
    }

    public void Dispose()
    {
        _stop = true;
        foreach (var t in _threads) t.Join(TimeSpan.FromSeconds(5));
        foreach (var q in Queues) q.Dispose();
        Assert.Empty(Failures);
    }
}
