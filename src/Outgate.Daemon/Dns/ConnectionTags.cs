using System.Net;
using Outgate.Policy;

namespace Outgate.Daemon.Dns;

/// <summary>
/// Labels for a new connection from what DNS told us: <c>no-dns</c> when its address was never in a
/// DNS answer Outgate saw (the classic sign of malware and connect-back shells: they carry their
/// address with them), <c>dot</c> for DNS over TLS (port 853), <c>doh</c> for a known public DNS-over-
/// HTTPS resolver on 443. Loopback, link-local, multicast and the DNS traffic itself are never
/// labelled no-dns: nobody resolves those.
/// </summary>
public static class ConnectionTags
{
    public const string NoDns = "no-dns";
    public const string Dot = "dot";
    public const string Doh = "doh";

    public static string? For(IPAddress destination, int port, int protocol, IReadOnlyList<string>? names)
    {
        var dot = port == 853 && protocol is 6 or 17;
        var doh = port == 443 && protocol is 6 or 17 && (PublicResolvers.Addresses.Contains(destination) || (names is not null && names.Any(n => PublicResolvers.IsDohHost(n))));
        var noDns = names is null && port != 53 && !dot && !IsLocalScope(destination);
        return (noDns, dot, doh) switch
        {
            (true, _, true) => NoDns + "," + Doh,
            (true, _, false) => NoDns,
            (false, true, _) => Dot,
            (false, false, true) => Doh,
            _ => null,
        };
    }

    /// <summary>True for DNS that bypasses Outgate's view of lookups (DoT, DoH).</summary>
    public static bool IsEncryptedDns(string? tags) => tags is not null && (tags.Contains(Dot, StringComparison.Ordinal) || tags.Contains(Doh, StringComparison.Ordinal));

    private static bool IsLocalScope(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6Multicast) return true;
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return b[0] is >= 224 or 0 || (b[0] == 169 && b[1] == 254) || address.Equals(IPAddress.Broadcast);
        }
        return false;
    }
}
