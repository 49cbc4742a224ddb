namespace Outgate.Linux.Attribution;

/// <summary>How <see cref="ProcessAttributor"/> got from a packet to a process (cheapest first, except the later-added BusyOwnerProbe, which costs between InodeCache and RecentProcessScan).</summary>
public enum AttributionSource : byte
{
    /// <summary>No process: the socket was gone (or the protocol has none) or no owner was found; only the packet's uid/gid are known.</summary>
    UidOnly,
    /// <summary>sock_diag found the socket and its inode was already in the inode → pid cache.</summary>
    InodeCache,
    /// <summary>Found by scanning the fds of processes the proc connector just saw exec or fork.</summary>
    RecentProcessScan,
    /// <summary>Found by a full /proc scan (rate-limited).</summary>
    FullScan,
    /// <summary>
    /// An inference: the socket was already closed (a sender that exited right after sendto), or
    /// its owner's fds were gone before the scan, and
    /// exactly one process with the packet's uid among those just exec'd or forked is exiting or
    /// exited within <see cref="ProcessAttributorOptions.RecentExitWindow"/>.
    /// </summary>
    RecentExit,
    /// <summary>
    /// Found by reading the few fd numbers where a process that opened sockets lately keeps
    /// getting new ones (the kernel reuses the lowest free fd): a handful of readlinks, no table read.
    /// </summary>
    BusyOwnerProbe,
}
