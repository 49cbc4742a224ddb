using Outgate.Policy.Domains;

namespace Outgate.Policy;

/// <summary>Sets and rules for DNS-named destinations, <c>dns-required</c> and <c>block-doh</c> (see <see cref="DomainSets"/>).</summary>
internal sealed partial class NftTableBuilder
{
    /// <summary>Rule index → the sets its destination is looked up in.</summary>
    private readonly Dictionary<int, (string Set4, string Set6)> destinationSets = [];

    /// <summary>Allow rules' IP lists, kept for dns_exempt.</summary>
    private readonly List<AddressRangeSet> allowedLists = [];

    private void PlanDestinationSets(FirewallPolicy policy)
    {
        foreach (var (rule, index, k) in DomainSets.KernelRules(policy))
        {
            var enforced = InKernel(rule);
            var kind = ListKind.Domains;
            if (rule.ToList is { } path)
            {
                if (!ListKindDetector.TryDetect(path, out kind, out var error))
                {
                    if (enforced)
                    {
                        PolicyThrow.InvalidRule(rule, [$"{error} (create the file, fix its permissions, or delete the rule)"]);
                    }

                    kind = ListKind.Domains;
                }
            }

            if (kind == ListKind.Domains)
            {
                // Made even for a rule that is not enforced now, so every set DomainSets.For names exists.
                sets.Add(NftSet.Timeout(DomainSets.DomainName(k, v4: true), v4: true));
                sets.Add(NftSet.Timeout(DomainSets.DomainName(k, v4: false), v4: false));
                if (enforced)
                {
                    destinationSets[index] = (DomainSets.DomainName(k, v4: true), DomainSets.DomainName(k, v4: false));
                }

                continue;
            }

            if (!enforced)
            {
                continue;
            }

            var loaded = AddressListReader.ReadFile(rule.ToList!);
            if (loaded.IsUnusable)
            {
                PolicyThrow.InvalidRule(rule, [$"cannot use the list {rule.ToList}: {string.Join("; ", loaded.Warnings.Select(w => w.ToString()))}"]);
            }

            sets.Add(NftSet.Interval(DomainSets.ListName(k, v4: true), v4: true, loaded.Set.IPv4));
            sets.Add(NftSet.Interval(DomainSets.ListName(k, v4: false), v4: false, loaded.Set.IPv6));
            destinationSets[index] = (DomainSets.ListName(k, v4: true), DomainSets.ListName(k, v4: false));
            if (rule.Action == RuleAction.Allow)
            {
                allowedLists.Add(loaded.Set);
            }
        }

        if (policy.DnsRequired)
        {
            sets.Add(NftSet.Timeout(DomainSets.Seen4, v4: true));
            sets.Add(NftSet.Timeout(DomainSets.Seen6, v4: false));
            var exempt = DomainSets.Exempt(policy, InKernel, allowedLists);
            sets.Add(NftSet.Interval(DomainSets.Exempt4, v4: true, exempt.IPv4));
            sets.Add(NftSet.Interval(DomainSets.Exempt6, v4: false, exempt.IPv6));
        }

        if (policy.BlockDoh)
        {
            sets.Add(NftSet.Interval(DomainSets.Doh4, v4: true, PublicResolvers.Addresses.IPv4));
            sets.Add(NftSet.Interval(DomainSets.Doh6, v4: false, PublicResolvers.Addresses.IPv6));
        }
    }

    /// <summary>
    /// dns-required, per family: a new connection to an address neither DNS answered for (dns_seen) nor exempt is refused,
    /// except tcp/udp port 53 (so names can still be resolved). Comes after the head (established, loopback, ICMP
    /// essentials, DHCP), which keeps the machine's plumbing working.
    /// </summary>
    private static IEnumerable<NftRule> DnsRequiredRules(FirewallPolicy policy)
    {
        if (!policy.DnsRequired)
        {
            yield break;
        }

        const string comment = "dns-required: address not from a DNS answer";
        foreach (var v4 in new[] { true, false })
        {
            var family = v4 ? "ip" : "ip6";
            NftStatement[] unseen =
            [
                new NftCtStateMatch(["new"]),
                new NftMatch(NftExpression.Payload(family, "daddr"), NftExpression.Symbol("@" + (v4 ? DomainSets.Seen4 : DomainSets.Seen6)), "!="),
                new NftMatch(NftExpression.Payload(family, "daddr"), NftExpression.Symbol("@" + (v4 ? DomainSets.Exempt4 : DomainSets.Exempt6)), "!="),
            ];
            yield return new([.. unseen, new NftMatch(NftExpression.Payload("tcp", "dport"), NftExpression.Number(53), "!="), new NftReject(TcpReset: true)], comment);
            yield return new([.. unseen, new NftMatch(NftExpression.Payload("udp", "dport"), NftExpression.Number(53), "!="), new NftReject(TcpReset: false)], comment);
            yield return new([.. unseen, new NftMatch(NftExpression.Meta("l4proto"), new NftSetExpression([NftExpression.Symbol("tcp"), NftExpression.Symbol("udp")]), "!="), new NftReject(TcpReset: false)], comment);
        }
    }

    /// <summary>block-doh: tcp/udp 443 and 853 (HTTPS, DoT, DoQ) to a well-known public resolver is refused.</summary>
    private static IEnumerable<NftRule> BlockDohRules(FirewallPolicy policy)
    {
        if (!policy.BlockDoh)
        {
            yield break;
        }

        const string comment = "block-doh: public DNS-over-HTTPS/TLS resolver";
        var ports = new NftSetExpression([NftExpression.Number(443), NftExpression.Number(853)]);
        foreach (var v4 in new[] { true, false })
        {
            var lookup = new NftMatch(NftExpression.Payload(v4 ? "ip" : "ip6", "daddr"), NftExpression.Symbol("@" + (v4 ? DomainSets.Doh4 : DomainSets.Doh6)));
            yield return new([lookup, new NftMatch(NftExpression.Payload("tcp", "dport"), ports), new NftReject(TcpReset: true)], comment);
            yield return new([lookup, new NftMatch(NftExpression.Payload("udp", "dport"), ports), new NftReject(TcpReset: false)], comment);
        }
    }
}
