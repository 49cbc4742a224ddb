using Outgate.Policy.Domains;

namespace Outgate.Policy;

/// <summary>A rule flattened for matching: families, interface prefix and verdict computed once.</summary>
internal sealed record MatchRule(
    int Number,
    Decision Decision,
    string? Interface,
    bool InterfaceIsPrefix,
    bool IPv4,
    bool IPv6,
    IPNetwork? From,
    IPNetwork? To,
    int Protocol,
    bool PortsNeedTcpOrUdp,
    PortSpec? FromPort,
    PortSpec? ToPort)
{
    /// <summary><c>to domain</c>: matched against <see cref="PacketFacts.DestinationNames"/>.</summary>
    public DomainPattern? ToDomain { get; init; }

    /// <summary><c>to list</c>: the file, looked up through <see cref="Lists"/>.</summary>
    public string? ToList { get; init; }

    /// <summary>Where list files are loaded from (a private cache when the matcher was given none).</summary>
    public DomainListCache? Lists { get; init; }

    public static MatchRule Create(Rule rule, int number, DomainListCache? lists = null)
    {
        var families = rule.Families;
        var decision = rule.Action switch
        {
            RuleAction.Allow => new Decision(Verdict.Accept, DecisionReason.Rule, number),
            RuleAction.Deny => new Decision(Verdict.Drop, DecisionReason.Rule, number),
            RuleAction.Reject => new Decision(Verdict.Reject, DecisionReason.Rule, number),
            _ => new Decision(Verdict.Accept, DecisionReason.Rule, number, RateLimited: true),
        };
        var prefix = rule.Interface?.EndsWith('+') == true;
        return new MatchRule(
            number,
            decision,
            prefix ? rule.Interface![..^1] : rule.Interface,
            prefix,
            families.HasFlag(AddressFamilies.IPv4),
            families.HasFlag(AddressFamilies.IPv6),
            rule.From,
            rule.To,
            rule.Protocol == Outgate.Policy.Protocol.Any ? -1 : (int)rule.Protocol,
            rule.Protocol == Outgate.Policy.Protocol.Any && (rule.FromPort is not null || rule.ToPort is not null),
            rule.FromPort,
            rule.ToPort)
        {
            ToDomain = rule.ToDomain,
            ToList = rule.ToList,
            Lists = rule.ToList is null ? null : lists ?? new DomainListCache(),
        };
    }

    public bool Matches(in PacketFacts packet, bool v6)
    {
        if (v6 ? !IPv6 : !IPv4)
        {
            return false;
        }

        if (Protocol >= 0 ? packet.Protocol != Protocol : PortsNeedTcpOrUdp && packet.Protocol is not (6 or 17))
        {
            return false;
        }

        if (Interface is not null)
        {
            var name = packet.Direction == Direction.Out ? packet.OutInterface : packet.InInterface;
            if (name is null || !(InterfaceIsPrefix ? name.StartsWith(Interface, StringComparison.Ordinal) : name == Interface))
            {
                return false;
            }
        }

        return (From is not { } from || from.Contains(packet.Source)) &&
            (To is not { } to || to.Contains(packet.Destination)) &&
            (FromPort is not { } fromPort || fromPort.Contains(packet.SourcePort)) &&
            (ToPort is not { } toPort || toPort.Contains(packet.DestinationPort)) &&
            (ToDomain is null && ToList is null || MatchesDestination(packet, out _));
    }

    /// <summary>
    /// The DNS-named part: a destination name the pattern or the domain list holds, or for an IP list the address.
    /// <paramref name="matched"/> says what matched, for explanations.
    /// </summary>
    public bool MatchesDestination(in PacketFacts packet, out string? matched)
    {
        matched = null;
        if (ToDomain is { } pattern)
        {
            if (packet.DestinationNames is { } names)
            {
                // Indexed, not foreach: an interface enumerator would allocate on the verdict path.
                for (var i = 0; i < names.Count; i++)
                {
                    if (pattern.Matches(names[i]))
                    {
                        matched = names[i];
                        return true;
                    }
                }
            }

            return false;
        }

        if (ToList is not { } path)
        {
            return true;
        }

        var list = Lists!.Get(path);
        if (list.Kind == ListKind.Addresses)
        {
            if (!list.ContainsAddress(packet.Destination))
            {
                return false;
            }

            matched = packet.Destination.ToString();
            return true;
        }

        if (packet.DestinationNames is { } listed)
        {
            for (var i = 0; i < listed.Count; i++)
            {
                if (list.ContainsName(listed[i]))
                {
                    matched = listed[i];
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>"domain *.mozilla.org matched cdn.mozilla.org", or why the destination part did not match.</summary>
    public string DescribeDestination(in PacketFacts packet)
    {
        var hit = MatchesDestination(packet, out var matched);
        var what = ToDomain is { } pattern ? $"domain {pattern}" : $"list {ToList}";
        if (hit)
        {
            return $"{what} matched {matched}";
        }

        if (ToList is { } path && Lists!.Get(path) is { Error: { } error })
        {
            return $"{what} not usable: {error}";
        }

        if (ToList is not null && Lists!.Get(ToList).Kind == ListKind.Addresses)
        {
            return $"{what} does not hold {packet.Destination}";
        }

        return packet.DestinationNames is { Count: > 0 } names
            ? $"{what} does not match {string.Join(", ", names)}"
            : $"{what}: {packet.Destination} was never named by a DNS answer";
    }
}
