using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Events;
using Outgate.Policy;

namespace Outgate.Daemon.Alerts.Sinks;

/// <summary>
/// One sink's bounded queue and delivery loop. <see cref="Offer"/> never blocks: when the queue is full the oldest
/// waiting alert is dropped and counted (the newest say most about an ongoing attack). A failed send is retried with
/// exponential backoff (1 s doubling to 1 min) until it succeeds, the sink is switched off, or the daemon stops.
/// </summary>
public sealed partial class SinkQueue
{
    public const int Capacity = 1000;

    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    private readonly Channel<DaemonEvent> _queue;
    private readonly Func<AlertSettings> _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _sent, _failed, _dropped;

    /// <param name="settings">The current alert settings (the live policy's), read before each attempt.</param>
    public SinkQueue(IAlertSink sink, Func<AlertSettings> settings, TimeProvider time, ILogger logger)
    {
        Sink = sink;
        _settings = settings;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<DaemonEvent>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            dropped => LogDropped(Interlocked.Increment(ref _dropped), dropped.Id));
    }

    public IAlertSink Sink { get; }

    /// <summary>Alerts delivered, failed attempts, and alerts dropped because the queue was full.</summary>
    public (long Sent, long Failed, long Dropped, int Pending) Counts =>
        (Interlocked.Read(ref _sent), Interlocked.Read(ref _failed), Interlocked.Read(ref _dropped), _queue.Reader.Count);

    /// <summary>Queues <paramref name="alert"/> for delivery; never blocks.</summary>
    public void Offer(DaemonEvent alert) => _queue.Writer.TryWrite(alert);

    /// <summary>Delivers queued alerts in order until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var alert in _queue.Reader.ReadAllAsync(ct))
            {
                var backoff = FirstBackoff;
                while (true)
                {
                    var settings = _settings();
                    if (!Sink.IsEnabled(settings)) break; // switched off in the meantime: nowhere to send it
                    Exception failure;
                    try
                    {
                        await Sink.SendAsync(alert, settings, ct);
                        Interlocked.Increment(ref _sent);
                        break;
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
                    {
                        // Whatever a sink throws (socket, HTTP, timeout, DNS) is its failure, not the daemon's.
                        failure = ex;
                    }
                    // The retry's timer starts before the failure is counted: whoever sees the count (a test moving a fake
                    // clock, the metrics) sees a retry that is already scheduled.
                    var retry = Task.Delay(backoff, _time, ct);
                    var failures = Interlocked.Increment(ref _failed);
                    LogSendFailed(Sink.Name, alert.Id, backoff.TotalSeconds, failure.Message, failures);
                    await retry;
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Used by tests: stops taking alerts so <see cref="RunAsync"/> ends after the queued ones.</summary>
    internal void Complete() => _queue.Writer.TryComplete();
}
