using Outgate.Linux.Queue;

namespace Outgate.Daemon.Queue;

/// <summary>What <c>outgate status</c> says about the kernel queue.</summary>
public sealed class QueueState
{
    public QueuePath Path { get; set; } = QueuePath.None;

    public IReadOnlyList<ushort> Queues { get; set; } = [];

    /// <summary>Why the queue is not running, when it is not.</summary>
    public string? Error { get; set; }
}
