namespace Outgate.Daemon.Events;

/// <summary>
/// A page of events in id order. With neither <see cref="Since"/> nor <see cref="After"/>, the
/// newest <see cref="Limit"/> events (still returned oldest first, like <c>tail</c>).
/// </summary>
/// <param name="Since">Only events at or after this time.</param>
/// <param name="After">Only events with a larger id (a cursor from an earlier page or the stream).</param>
/// <param name="Limit">At most this many (1 to <see cref="MaxLimit"/>).</param>
/// <param name="Type">Only this type.</param>
public sealed record EventQuery(DateTimeOffset? Since = null, long? After = null, int Limit = EventQuery.DefaultLimit, EventType? Type = null)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;
}
