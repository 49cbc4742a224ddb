using System.Threading.Channels;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Events;

/// <summary>
/// Where pipeline stages put events: a bounded channel drained by <see cref="EventWriterService"/>.
/// <see cref="TryWrite"/> never blocks (a queued packet must not wait on disk); when the channel is
/// full the event is dropped and counted in <see cref="EventCounters.Dropped"/>.
/// </summary>
public sealed class EventSink
{
    private readonly Channel<DaemonEvent> _channel;

    public EventSink(DaemonOptions options, EventCounters counters)
    {
        Capacity = options.Events.ChannelCapacity;
        Counters = counters;
        _channel = Channel.CreateBounded<DaemonEvent>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of dropping silently
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    public int Capacity { get; }

    public EventCounters Counters { get; }

    /// <summary>Events accepted and not yet written.</summary>
    public int Pending => _channel.Reader.Count;

    internal ChannelReader<DaemonEvent> Reader => _channel.Reader;

    /// <summary>Queues <paramref name="e"/> for the store; false (and counted) when the channel is full.</summary>
    public bool TryWrite(DaemonEvent e)
    {
        if (_channel.Writer.TryWrite(e))
        {
            Counters.AddAccepted();
            return true;
        }
        Counters.AddDropped();
        return false;
    }
}
