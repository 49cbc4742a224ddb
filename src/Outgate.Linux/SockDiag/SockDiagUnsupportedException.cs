using Outgate.Linux.Netlink;

namespace Outgate.Linux.SockDiag;

/// <summary>
/// The kernel has no sock_diag handler for this family/protocol (ENOENT, EINVAL or EOPNOTSUPP):
/// the diag module is not built or not loaded. Callers catch it per protocol and carry on.
/// </summary>
public sealed class SockDiagUnsupportedException : NetlinkException
{
    public System.Net.Sockets.AddressFamily Family { get; }
    public SocketProtocol Protocol { get; }

    public SockDiagUnsupportedException(System.Net.Sockets.AddressFamily family, SocketProtocol protocol, int errno, string? kernelMessage)
        : base($"sock_diag {FamilyName(family)} {protocol}", errno, kernelMessage,
               $"The kernel cannot list {FamilyName(family)} {protocol} sockets: its diag module is missing. " +
               $"Load it with `modprobe inet_diag {ModuleFor(protocol)}` (CONFIG_INET_{ModuleFor(protocol).ToUpperInvariant().Replace("_DIAG", "")}_DIAG)")
    {
        Family = family;
        Protocol = protocol;
    }

    internal static string FamilyName(System.Net.Sockets.AddressFamily family) =>
        family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    private static string ModuleFor(SocketProtocol protocol) => protocol switch
    {
        SocketProtocol.Tcp => "tcp_diag",
        SocketProtocol.Udp or SocketProtocol.UdpLite => "udp_diag",
        SocketProtocol.Raw => "raw_diag",
        _ => "tcp_diag udp_diag raw_diag",
    };
}
