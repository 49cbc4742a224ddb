using System.Net;
using System.Net.Sockets;
using Outgate.Daemon.Policy;
using Outgate.Linux.Nftables;
using Outgate.Policy;

namespace Outgate.Daemon.Dns;

/// <summary>
/// Which kernel sets an answered (address, names) goes into under one policy: the sets of every
/// domain rule whose pattern or domain list matches one of the names, and the dns-required set of
/// all answered addresses. Built once per policy generation from <see cref="DomainSets.For"/>, the
/// same plan the compiler used, so set names cannot diverge from the table.
/// </summary>
public sealed class DnsSetPlan
{
    /// <summary>The table every domain set lives in.</summary>
    public static readonly NftTableId Table = new("inet", "outgate");

    private static readonly NftSetId Seen4 = new(Table, DomainSets.Seen4);
    private static readonly NftSetId Seen6 = new(Table, DomainSets.Seen6);
    private readonly IReadOnlyList<DomainSetBinding> _bindings;
    private readonly (NftSetId V4, NftSetId V6)[] _sets;
    private readonly Outgate.Policy.Domains.DomainListCache _lists;

    private DnsSetPlan(IReadOnlyList<DomainSetBinding> bindings, bool dnsRequired, TimeSpan grace, Outgate.Policy.Domains.DomainListCache lists)
    {
        _bindings = bindings;
        _sets = [.. bindings.Select(b => (new NftSetId(Table, b.SetName4), new NftSetId(Table, b.SetName6)))];
        DnsRequired = dnsRequired;
        Grace = grace;
        _lists = lists;
    }

    public static DnsSetPlan For(PolicySnapshot snapshot, DateTimeOffset now) =>
        new(DomainSets.For(snapshot.Policy, now), snapshot.Policy.DnsRequired, snapshot.Policy.DnsGrace, snapshot.Lists);

    public bool DnsRequired { get; }

    /// <summary>Added to every TTL (policy <c>dns-grace</c>).</summary>
    public TimeSpan Grace { get; }

    public int BindingCount => _bindings.Count;

    /// <summary>Appends the set elements for <paramref name="address"/> known as <paramref name="names"/> to <paramref name="into"/>.</summary>
    public void AddElements(IPAddress address, IReadOnlyList<string> names, TimeSpan timeout, List<NftSetElement> into)
    {
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (DnsRequired) into.Add(new NftSetElement(v6 ? Seen6 : Seen4, address, timeout));
        for (var i = 0; i < _bindings.Count; i++)
        {
            if (Matches(_bindings[i], names)) into.Add(new NftSetElement(v6 ? _sets[i].V6 : _sets[i].V4, address, timeout));
        }
    }

    private bool Matches(DomainSetBinding binding, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (binding.Pattern is { } pattern && pattern.Matches(name)) return true;
            if (binding.ListPath is { } path && _lists.Get(path).ContainsName(name)) return true;
        }
        return false;
    }
}
