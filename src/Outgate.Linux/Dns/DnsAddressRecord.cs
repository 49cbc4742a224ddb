using System.Net;

namespace Outgate.Linux.Dns;

/// <summary>An A or AAAA answer: <paramref name="Name"/> (lower case, no trailing dot) has <paramref name="Address"/> for <paramref name="Ttl"/> seconds.</summary>
public sealed record DnsAddressRecord(string Name, IPAddress Address, uint Ttl);
