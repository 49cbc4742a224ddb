using System.Net;
using System.Net.Sockets;

namespace Outgate.Daemon.Proposals;

/// <summary>
/// Turns the addresses one program reached without a DNS name into rule destinations. Kept simple on purpose: four or
/// more different IPv4 addresses in one /24 (IPv6: one /64) become that network, because servers that close together
/// almost always belong to one operator (a pool, a CDN edge, a cluster) and the next connection will pick yet another
/// of them; everything else stays a single host. The widening is written next to the rule so a reviewer can narrow it.
/// </summary>
public static class AddressCollapse
{
    /// <summary>How many distinct addresses of one /24 (/64) make a network rule.</summary>
    public const int MinNeighbours = 4;

    /// <summary>Maps every address to the network that will cover it (a host network or its /24 or /64).</summary>
    public static IReadOnlyDictionary<IPAddress, IPNetwork> Collapse(IEnumerable<IPAddress> addresses)
    {
        var distinct = addresses.Distinct().ToList();
        var wide = distinct
            .GroupBy(Neighbourhood)
            .Where(g => g.Count() >= MinNeighbours)
            .Select(g => g.Key)
            .ToHashSet();
        return distinct.ToDictionary(a => a, a => Neighbourhood(a) is var n && wide.Contains(n) ? n : Host(a));
    }

    public static IPNetwork Host(IPAddress address) => new(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);

    /// <summary>The /24 (IPv4) or /64 (IPv6) holding <paramref name="address"/>, host bits cleared.</summary>
    public static IPNetwork Neighbourhood(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var prefix = bytes.Length == 4 ? 24 : 64;
        for (var i = prefix / 8; i < bytes.Length; i++) bytes[i] = 0;
        return new IPNetwork(new IPAddress(bytes), prefix);
    }
}
