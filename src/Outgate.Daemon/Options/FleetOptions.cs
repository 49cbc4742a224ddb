namespace Outgate.Daemon.Options;

/// <summary>
/// Shipping events to a central PostgreSQL (the fleet database) and this host's name there. Off unless a connection
/// string is given: <c>--fleet-db</c>, <c>$OUTGATE_FLEET_DB</c>, or the first non-comment line of
/// <c>CONFIG_DIR/fleet.conf</c> (read by <see cref="Fleet.FleetConfigFile"/>, which must be root-owned 0600 or 0640).
/// </summary>
public sealed record FleetOptions
{
    /// <summary>
    /// Npgsql connection string given on the command line or in $OUTGATE_FLEET_DB (null = use fleet.conf if present).
    /// A password in it is visible in <c>ps</c> and /proc/PID/environ to root; prefer fleet.conf.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>This host's name in the fleet (--host-name; default the kernel host name).</summary>
    public string? HostName { get; init; }

    /// <summary>Events per COPY batch (default 5,000).</summary>
    public int BatchSize { get; init; } = 5_000;

    /// <summary>How often the hosts row is refreshed (default 10 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// While the fleet database is unreachable, retention keeps unshipped events beyond --max-events and --max-event-age,
    /// up to this many rows in events.db (default 5,000,000, about 1 GB); past it the oldest are pruned (and lost for the
    /// fleet). An alert is raised at 80 %. 0 = no hard cap.
    /// </summary>
    public long MaxBacklogRows { get; init; } = 5_000_000;

    /// <summary>Longest wait between reconnect attempts (default 30 s; the first retry is after 0.5 s).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}
