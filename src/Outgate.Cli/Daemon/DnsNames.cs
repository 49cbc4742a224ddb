namespace Outgate.Cli.Daemon;

/// <summary><c>GET /v1/dns/names</c>: what the daemon learned from DNS answers, address → names (newest first).</summary>
public sealed record DnsNames(IReadOnlyList<DnsNameEntry> Addresses)
{
    /// <summary>Address text → the newest name, for labelling connections.</summary>
    public IReadOnlyDictionary<string, string> DomainByAddress() =>
        Addresses.Where(a => a.Names.Count > 0).GroupBy(a => a.Address).ToDictionary(g => g.Key, g => g.First().Names[0], StringComparer.Ordinal);
}

public sealed record DnsNameEntry(string Address, IReadOnlyList<string> Names, DateTimeOffset Expires);
