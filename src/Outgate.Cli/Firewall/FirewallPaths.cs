namespace Outgate.Cli.Firewall;

/// <summary>Where the firewall keeps its state (all under --state-dir).</summary>
public sealed record FirewallPaths(string ConfigDir, string StateDir)
{
    /// <summary>ufw.conf's analogue: <c>ENABLED=yes|no</c>.</summary>
    public string StateFile => Path.Combine(StateDir, "outgate.conf");

    /// <summary>The table as it was before the last apply (<c>nft -j list table</c>; "null" when there was none).</summary>
    public string PreviousTable => Path.Combine(StateDir, "previous-table.json");

    /// <summary>What the last apply put into the kernel (normalized listing + policy hash), for drift detection.</summary>
    public string Applied => Path.Combine(StateDir, "applied.json");

    /// <summary>A change waiting for <c>outgate confirm</c>.</summary>
    public string PendingDir => Path.Combine(StateDir, "pending");

    public string PendingMarker => Path.Combine(PendingDir, "confirm-by");

    public string RollbackLog => Path.Combine(StateDir, "rollback.log");

    public string LockFile => Path.Combine(StateDir, "lock");

    /// <summary>True for the system-wide /etc/outgate (boot persistence is installed only then).</summary>
    public bool IsSystemConfig => Path.GetFullPath(ConfigDir).TrimEnd('/') == "/etc/outgate";
}
