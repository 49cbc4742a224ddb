using System.Net;
using Outgate.Daemon.Policy;
using Outgate.Policy;

namespace Outgate.Daemon.Decisions;

/// <summary>
/// The policy switches the kernel table applies before any rule about programs: <c>block-doh</c>
/// (443/853 to a known public resolver is refused) and <c>dns-required</c> (a new connection to an
/// address no DNS answer gave is refused, except DNS itself, loopback and the explicit destinations
/// of allow rules). The daemon mirrors them so its events and <c>outgate explain</c> say what the
/// kernel will do; the kernel enforces them either way.
/// </summary>
public static class DnsGuards
{
    /// <summary>Why the switches refuse this connection, or null when they let it on to the rules.</summary>
    public static string? Refusal(PolicySnapshot snapshot, in PacketFacts packet)
    {
        var policy = snapshot.Policy;
        if (!policy.BlockDoh && !policy.DnsRequired) return null;
        var tcpOrUdp = packet.Protocol is 6 or 17;
        var destination = packet.Destination.IsIPv4MappedToIPv6 ? packet.Destination.MapToIPv4() : packet.Destination;
        if (policy.DnsRequired && tcpOrUdp && packet.DestinationNames is null && packet.DestinationPort is not 53 and not 67
            && !snapshot.DnsExempt.Contains(destination))
            return "dns-required: the address was not in any DNS answer Outgate saw";
        if (policy.BlockDoh && tcpOrUdp && packet.DestinationPort is 443 or 853 && PublicResolvers.Addresses.Contains(destination))
            return "block-doh: a public DNS-over-HTTPS/TLS resolver";
        return null;
    }
}
