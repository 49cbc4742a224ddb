namespace Outgate.Daemon.Fleet;

/// <summary>When a shipping backlog deserves an alert: the words of the alert, or null when all is well.</summary>
public static class BacklogLevel
{
    /// <summary>Fraction of the hard cap at which the alert fires.</summary>
    public const double NearCap = 0.8;

    /// <param name="rows">Rows in events.db now.</param>
    /// <param name="unshipped">Events not yet in the fleet database.</param>
    /// <param name="maxRows">--max-events (0 = unlimited).</param>
    /// <param name="hardCap">Rows past which even unshipped events are pruned (0 = none).</param>
    public static string? Judge(long rows, long unshipped, long maxRows, long hardCap)
    {
        if (unshipped <= 0) return null;
        if (hardCap > 0 && rows >= hardCap * NearCap)
            return $"fleet backlog near its bound: {unshipped} events not shipped to the fleet database and events.db holds {rows} of at most {hardCap} rows; past that the oldest unshipped events are pruned and never reach the fleet: check the fleet database (outgate fleet status)";
        if (maxRows > 0 && rows > maxRows)
            return $"fleet database behind: {unshipped} events not shipped; retention keeps them beyond --max-events {maxRows} (events.db holds {rows} rows, hard cap {(hardCap > 0 ? hardCap.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}): check the fleet database (outgate fleet status)";
        return null;
    }
}
