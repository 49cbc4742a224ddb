using Outgate.Linux.Netlink;

namespace Outgate.Linux.ProcConnector;

/// <summary>
/// The proc connector cannot be used here: outside the initial network namespace the subscribe
/// fails with ECONNREFUSED, without CAP_NET_ADMIN with EPERM, kernels without CONFIG_PROC_EVENTS
/// with EPROTONOSUPPORT. Callers fall back to scanning /proc.
/// </summary>
public sealed class ProcConnectorUnavailableException : NetlinkException
{
    public ProcConnectorUnavailableException(string operation, int errno)
        : base(operation, errno, detail: errno == 111
            ? "the proc connector only works in the initial network namespace; run the daemon there (open netfilter sockets in other namespaces through setns) or fall back to /proc"
            : "proc events are unavailable; fall back to /proc")
    {
    }
}
