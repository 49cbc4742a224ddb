namespace Outgate.Daemon.Api;

/// <summary>The event path's counters in <see cref="StatusResponse"/>; see <see cref="Events.EventCounters"/>.</summary>
public sealed record EventCountersResponse(
    long Accepted,
    long Written,
    long Dropped,
    long Failed,
    long Pruned,
    int Pending,
    int Capacity,
    long Stored,
    string? LastError);
