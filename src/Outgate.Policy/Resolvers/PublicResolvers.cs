using Outgate.Policy.Domains;

namespace Outgate.Policy;

/// <summary>
/// The DoH/DoT resolvers Outgate ships (embedded <c>public-resolver-addresses.txt</c> and <c>public-resolver-hosts.txt</c>):
/// Cloudflare, Google, Quad9, OpenDNS, AdGuard, NextDNS, CleanBrowsing and Mullvad, as their operators document them.
/// <c>block-doh</c> compiles <see cref="Addresses"/> into the interval sets <c>doh_4</c>/<c>doh_6</c>; the daemon can use
/// <see cref="IsDohHost"/> to recognise a program looking one up. Loaded once, on first use.
/// </summary>
public static class PublicResolvers
{
    private static readonly Lazy<AddressRangeSet> LazyAddresses = new(() => Load("public-resolver-addresses.txt", AddressListReader.Read).Set);
    private static readonly Lazy<DomainSuffixSet> LazyHosts = new(() => Load("public-resolver-hosts.txt", (s, f) => DomainListReader.Read(s, f, DomainListFormat.Plain)).Set);
    private static readonly Lazy<IReadOnlyList<string>> LazyHostNames = new(ReadHostNames);

    /// <summary>Resolver addresses and networks, IPv4 and IPv6, merged into disjoint ranges.</summary>
    public static AddressRangeSet Addresses => LazyAddresses.Value;

    /// <summary>The DoH/DoT host names as listed (each also covers the names below it, see <see cref="IsDohHost"/>).</summary>
    public static IReadOnlyList<string> HostNames => LazyHostNames.Value;

    /// <summary>True when <paramref name="name"/> is one of <see cref="HostNames"/> or below one (<c>abc123.dns.nextdns.io</c>).</summary>
    public static bool IsDohHost(ReadOnlySpan<char> name) => LazyHosts.Value.Contains(name);

    private static T Load<T>(string name, Func<Stream, string, T> read)
    {
        using var stream = Open(name);
        return read(stream, name);
    }

    private static Stream Open(string name)
        => typeof(PublicResolvers).Assembly.GetManifestResourceStream("Outgate.Policy." + name)
            ?? throw new InvalidOperationException($"The embedded resource '{name}' is missing from Outgate.Policy (a build problem).");

    private static IReadOnlyList<string> ReadHostNames()
    {
        using var reader = new StreamReader(Open("public-resolver-hosts.txt"));
        var names = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && line[0] != '#')
            {
                names.Add(line);
            }
        }

        return names;
    }
}
