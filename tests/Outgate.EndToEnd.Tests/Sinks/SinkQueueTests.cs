using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Outgate.Daemon.Alerts.Sinks;
using Outgate.Daemon.Events;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Sinks;

public sealed class SinkQueueTests
{
    private sealed class RecordingSink(int failFirst = 0, int gate = int.MaxValue) : IAlertSink
    {
        private int _calls;
        public readonly List<long> Delivered = [];
        public readonly SemaphoreSlim Gate = new(gate);
        public bool Enabled = true;
        public string Name => "test";
        public bool IsEnabled(AlertSettings settings) => Enabled;

        public async Task SendAsync(DaemonEvent alert, AlertSettings settings, CancellationToken cancellationToken)
        {
            await Gate.WaitAsync(cancellationToken);
            if (Interlocked.Increment(ref _calls) <= failFirst) throw new IOException("collector down");
            lock (Delivered) Delivered.Add(alert.Id);
        }
    }

    private static DaemonEvent Alert(long id) => new() { Id = id, Time = DateTimeOffset.UnixEpoch, Type = EventType.Alert, Severity = EventSeverity.Critical };

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.True(condition());
    }

    [Fact]
    public async Task A_full_queue_drops_the_oldest_alerts_and_counts_them_without_blocking()
    {
        var sink = new RecordingSink(gate: 0); // the first send waits, so the queue fills behind it
        var queue = new SinkQueue(sink, () => AlertSettings.Default, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = queue.RunAsync(stop.Token);
        queue.Offer(Alert(1));
        await Until(() => queue.Counts.Pending == 0); // alert 1 is in SendAsync, waiting
        for (var id = 2; id < 2 + SinkQueue.Capacity + 10; id++) queue.Offer(Alert(id));
        Assert.Equal(10, queue.Counts.Dropped);
        Assert.Equal(SinkQueue.Capacity, queue.Counts.Pending);
        sink.Gate.Release(SinkQueue.Capacity + 1);
        await Until(() => queue.Counts.Sent == SinkQueue.Capacity + 1);
        Assert.Equal([1L, .. Enumerable.Range(12, SinkQueue.Capacity).Select(i => (long)i)], sink.Delivered);
        queue.Complete();
        await run;
    }

    [Fact]
    public async Task A_failed_send_is_retried_with_backoff_and_then_delivered_in_order()
    {
        var sink = new RecordingSink(failFirst: 2);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var queue = new SinkQueue(sink, () => AlertSettings.Default, time, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = queue.RunAsync(stop.Token);
        queue.Offer(Alert(1));
        queue.Offer(Alert(2));
        await Until(() => queue.Counts.Failed == 1);
        Assert.Empty(sink.Delivered);
        time.Advance(SinkQueue.FirstBackoff);
        await Until(() => queue.Counts.Failed == 2);
        time.Advance(SinkQueue.FirstBackoff); // the second wait is twice as long
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Empty(sink.Delivered);
        time.Advance(SinkQueue.FirstBackoff);
        await Until(() => queue.Counts.Sent == 2);
        Assert.Equal([1L, 2L], sink.Delivered);
        queue.Complete();
        await run;
    }

    [Fact]
    public async Task Alerts_for_a_sink_switched_off_while_retrying_are_let_go()
    {
        var sink = new RecordingSink(failFirst: 1000);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var queue = new SinkQueue(sink, () => AlertSettings.Default, time, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = queue.RunAsync(stop.Token);
        queue.Offer(Alert(1));
        await Until(() => queue.Counts.Failed == 1);
        sink.Enabled = false;
        time.Advance(SinkQueue.FirstBackoff);
        queue.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(1, queue.Counts.Failed);
    }
}
