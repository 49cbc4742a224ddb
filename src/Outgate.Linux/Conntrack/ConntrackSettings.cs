namespace Outgate.Linux.Conntrack;

/// <summary>
/// Per-namespace conntrack sysctls a flow-end event needs. /proc/sys/net resolves to the network
/// namespace of the calling THREAD, so call these from a thread inside the target namespace
/// (<see cref="Netlink.NetworkNamespaceScope"/>). Only entries created afterwards are affected.
/// </summary>
public static class ConntrackSettings
{
    private const string Directory = "/proc/sys/net/netfilter";

    /// <summary>
    /// Turns on byte/packet accounting (<c>nf_conntrack_acct</c>) and, when
    /// <paramref name="timestamps"/>, start/stop timestamps (<c>nf_conntrack_timestamp</c>).
    /// </summary>
    /// <exception cref="IOException">The sysctl is missing (nf_conntrack not loaded) or not writable (no CAP_NET_ADMIN over the namespace).</exception>
    public static void EnableAccounting(bool timestamps = true)
    {
        Write("nf_conntrack_acct", "1");
        if (timestamps) Write("nf_conntrack_timestamp", "1");
    }

    /// <summary>
    /// <see cref="EnableAccounting"/> inside the network namespace <paramref name="networkNamespace"/>
    /// (a name under /run/netns or a path such as /proc/PID/ns/net), from a thread that enters it:
    /// the daemon runs in the initial namespace, and a write from its own threads would change the
    /// host's setting instead. Returns once the sysctls are written.
    /// </summary>
    /// <exception cref="IOException">The sysctl is missing or not writable there.</exception>
    /// <exception cref="Netlink.NetlinkException">The namespace cannot be entered.</exception>
    public static void EnableAccountingIn(string networkNamespace, bool timestamps = true) =>
        Netlink.NetworkNamespaceScope.Run(networkNamespace, () => EnableAccounting(timestamps));

    /// <summary><see cref="IsAccountingEnabled"/> inside <paramref name="networkNamespace"/>.</summary>
    public static bool? IsAccountingEnabledIn(string networkNamespace) =>
        Netlink.NetworkNamespaceScope.Run(networkNamespace, IsAccountingEnabled);

    /// <summary>Reads <c>nf_conntrack_acct</c>; null when conntrack is not available in this namespace.</summary>
    public static bool? IsAccountingEnabled()
    {
        try
        {
            return File.ReadAllText(Path.Combine(Directory, "nf_conntrack_acct")).Trim() == "1";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Write(string name, string value)
    {
        var path = Path.Combine(Directory, name);
        try
        {
            File.WriteAllText(path, value);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot set {path} to {value}: {ex.Message} (is nf_conntrack loaded, and do we have CAP_NET_ADMIN in this namespace?)", ex);
        }
    }
}
