namespace Outgate.Daemon.Fleet;

/// <summary>What the shipper is doing, for <c>GET /v1/fleet/status</c>. Written by the shipper and heartbeat, read by the API.</summary>
public sealed class ShipperState
{
    private long _shippedId = -1;
    private long _shippedTotal;
    private long _batches;
    private volatile bool _connected;
    private volatile string? _lastError;
    private volatile string? _heartbeatError;
    private long _lastErrorAtTicks;
    private long _lastShippedAtTicks;
    private long _lastHeartbeatAtTicks;

    public Guid HostId { get; set; }

    public bool Connected => _connected;

    /// <summary>Highest event id the fleet database confirmed; -1 until known (not yet connected).</summary>
    public long ShippedId => Interlocked.Read(ref _shippedId);

    /// <summary>Rows this process inserted (duplicates skipped by ON CONFLICT not counted).</summary>
    public long ShippedTotal => Interlocked.Read(ref _shippedTotal);

    public long Batches => Interlocked.Read(ref _batches);

    public string? LastError => _lastError;

    public string? HeartbeatError => _heartbeatError;

    public DateTimeOffset? LastErrorAt => At(ref _lastErrorAtTicks);

    public DateTimeOffset? LastShippedAt => At(ref _lastShippedAtTicks);

    public DateTimeOffset? LastHeartbeatAt => At(ref _lastHeartbeatAtTicks);

    internal void Connect(long cursor)
    {
        Interlocked.Exchange(ref _shippedId, cursor);
        _connected = true;
    }

    internal void Shipped(long cursor, long inserted, DateTimeOffset now)
    {
        Interlocked.Exchange(ref _shippedId, cursor);
        Interlocked.Add(ref _shippedTotal, inserted);
        Interlocked.Increment(ref _batches);
        Interlocked.Exchange(ref _lastShippedAtTicks, now.UtcTicks);
        _lastError = null;
    }

    internal void Failed(string error, DateTimeOffset now)
    {
        _connected = false;
        _lastError = error;
        Interlocked.Exchange(ref _lastErrorAtTicks, now.UtcTicks);
    }

    internal void Heartbeat(string? error, DateTimeOffset now)
    {
        _heartbeatError = error;
        if (error is null) Interlocked.Exchange(ref _lastHeartbeatAtTicks, now.UtcTicks);
    }

    private static DateTimeOffset? At(ref long ticks)
    {
        var t = Interlocked.Read(ref ticks);
        return t == 0 ? null : new DateTimeOffset(t, TimeSpan.Zero);
    }
}
