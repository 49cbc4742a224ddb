namespace Outgate.Daemon.Events;

/// <summary>
/// Lets a reader that must see every event (the fleet shipper) keep the rows of events.db it has not consumed:
/// retention then prunes by --max-events and --max-event-age only up to <see cref="KeepAfterId"/>, and beyond that
/// only when the store exceeds <see cref="HardCapRows"/>. Inactive (holds nothing) until a reader sets it.
/// </summary>
public sealed class RetentionHold
{
    private long _keepAfterId = long.MaxValue;
    private long _hardCapRows;

    /// <summary>Rows with a larger id are kept by the normal limits; <see cref="long.MaxValue"/> = no hold.</summary>
    public long KeepAfterId
    {
        get => Interlocked.Read(ref _keepAfterId);
        set => Interlocked.Exchange(ref _keepAfterId, value);
    }

    /// <summary>Past this many rows the oldest go even if held (0 = no cap).</summary>
    public long HardCapRows
    {
        get => Interlocked.Read(ref _hardCapRows);
        set => Interlocked.Exchange(ref _hardCapRows, value);
    }
}
