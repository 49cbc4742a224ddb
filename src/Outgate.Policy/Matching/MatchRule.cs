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
    public static MatchRule Create(Rule rule, int number)
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
            rule.ToPort);
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
            (ToPort is not { } toPort || toPort.Contains(packet.DestinationPort));
    }
}
