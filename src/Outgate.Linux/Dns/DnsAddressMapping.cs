using System.Net;

namespace Outgate.Linux.Dns;

/// <summary>
/// What a DNS answer teaches the firewall: <paramref name="Address"/> belongs to each of <paramref name="Names"/> (the
/// question name first, then every CNAME target on the way to the address record's owner) for <paramref name="Ttl"/>
/// seconds, the smallest TTL along that chain, since the mapping is only as fresh as its weakest link.
/// </summary>
public sealed record DnsAddressMapping(IPAddress Address, uint Ttl, IReadOnlyList<string> Names);
