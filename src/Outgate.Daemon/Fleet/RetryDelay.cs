namespace Outgate.Daemon.Fleet;

/// <summary>
/// Exponential backoff for reconnecting to the fleet database: 0.5 s, 1 s, 2 s, ... up to a maximum, with ±20 % jitter
/// so a fleet that lost its database together does not come back in lockstep.
/// </summary>
public static class RetryDelay
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);

    /// <summary>The wait before attempt <paramref name="failures"/> + 1 (failures ≥ 1); <paramref name="jitter"/> in [0, 1).</summary>
    public static TimeSpan After(int failures, TimeSpan max, double jitter)
    {
        if (failures < 1) return TimeSpan.Zero;
        var exponent = Math.Min(failures - 1, 20);
        var ms = Math.Min(First.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms * (0.8 + 0.4 * Math.Clamp(jitter, 0, 1)));
    }
}
