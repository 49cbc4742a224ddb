using Outgate.Daemon.Metrics;

namespace Outgate.Daemon.Alerts.Health;

/// <summary>The daemon's health counters at one moment, as <see cref="HealthJudge"/> compares them.</summary>
/// <param name="EventsDropped">Events refused because the event channel was full (total since start).</param>
/// <param name="EventsFailed">Events lost to database errors (total since start).</param>
/// <param name="EventCapacity">Size of the event channel.</param>
/// <param name="LastEventError">The last database error, if any.</param>
/// <param name="QueueError">Why the kernel queue is not running; null when it runs (or the daemon runs without the kernel).</param>
/// <param name="Queues">nfnetlink_queue statistics of our queues.</param>
public sealed record HealthReading(long EventsDropped, long EventsFailed, int EventCapacity, string? LastEventError, string? QueueError, IReadOnlyList<NfQueueStat> Queues);
