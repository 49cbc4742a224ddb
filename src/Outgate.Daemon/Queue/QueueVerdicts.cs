using System.Collections.Concurrent;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Prompts;

namespace Outgate.Daemon.Queue;

/// <summary>
/// Verdicts decided away from a queue's own thread (prompt answers, prompt timeouts). Each queue's
/// thread owns its socket and drains its mailbox after every receive, so the socket is only ever
/// used by one thread.
/// </summary>
public sealed class QueueVerdicts
{
    private readonly ConcurrentDictionary<ushort, ConcurrentQueue<(uint Id, uint Mark)>> _mailboxes = new();

    public ConcurrentQueue<(uint Id, uint Mark)> MailboxOf(ushort queue) => _mailboxes.GetOrAdd(queue, _ => new());

    public void Post(QueuedPacketRef packet, AppVerdict verdict) =>
        MailboxOf(packet.Queue).Enqueue((packet.Id, VerdictMarks.For(verdict, packet.Mark)));
}
