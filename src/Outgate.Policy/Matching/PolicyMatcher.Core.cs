namespace Outgate.Policy;

public sealed partial class PolicyMatcher
{
    private static readonly int[] Icmp4Essential = [3, 11, 12, 8];
    private static readonly int[] Icmp6Essential = [1, 2, 3, 4, 128];
    private static readonly int[] Icmp6DiscoveryIn = [135, 136, 134, 137, 130];
    private static readonly int[] Icmp6DiscoveryOut = [135, 136, 133, 131, 143];
    private static readonly IPNetwork LinkLocal = IPNetwork.Parse("fe80::/10");

    private Decision DecideCore(in PacketFacts packet)
    {
        if ((packet.Direction == Direction.In && packet.InInterface == "lo") || (packet.Direction == Direction.Out && packet.OutInterface == "lo"))
        {
            return new Decision(Verdict.Accept, DecisionReason.Loopback, 0);
        }

        if (IsEssentialIcmp(packet))
        {
            return new Decision(Verdict.Accept, DecisionReason.IcmpEssential, 0);
        }

        if (IsDhcp(packet))
        {
            return new Decision(Verdict.Accept, DecisionReason.Dhcp, 0);
        }

        var rules = Policy.Rules;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule.Direction == packet.Direction && Matches(rule, packet))
            {
                return rule.Action switch
                {
                    RuleAction.Allow => new Decision(Verdict.Accept, DecisionReason.Rule, i + 1),
                    RuleAction.Deny => new Decision(Verdict.Drop, DecisionReason.Rule, i + 1),
                    RuleAction.Reject => new Decision(Verdict.Reject, DecisionReason.Rule, i + 1),
                    _ => new Decision(Verdict.Accept, DecisionReason.Rule, i + 1, RateLimited: true),
                };
            }
        }

        return Policy.Defaults.For(packet.Direction) switch
        {
            DefaultPolicy.Deny => new Decision(Verdict.Drop, DecisionReason.Default, 0),
            DefaultPolicy.Reject => new Decision(Verdict.Reject, DecisionReason.Default, 0),
            _ => new Decision(Verdict.Accept, DecisionReason.Default, 0),
        };
    }

    /// <summary>Does <paramref name="rule"/> match <paramref name="packet"/> (direction already checked)?</summary>
    internal static bool Matches(Rule rule, in PacketFacts packet)
    {
        if (rule.Interface is { } iface)
        {
            var name = packet.Direction == Direction.Out ? packet.OutInterface : packet.InInterface;
            if (name is null || !(iface.EndsWith('+') ? name.StartsWith(iface[..^1], StringComparison.Ordinal) : name == iface))
            {
                return false;
            }
        }

        var family = packet.Source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? AddressFamilies.IPv4 : AddressFamilies.IPv6;
        if (!rule.Families.HasFlag(family))
        {
            return false;
        }

        if ((rule.From is { } from && !from.Contains(packet.Source)) || (rule.To is { } to && !to.Contains(packet.Destination)))
        {
            return false;
        }

        var hasPorts = rule.FromPort is not null || rule.ToPort is not null;
        var protocolMatches = rule.Protocol switch
        {
            Protocol.Any => !hasPorts || packet.Protocol is 6 or 17,
            _ => packet.Protocol == (int)rule.Protocol,
        };
        if (!protocolMatches)
        {
            return false;
        }

        return (rule.FromPort is not { } fromPort || fromPort.Contains(packet.SourcePort)) &&
            (rule.ToPort is not { } toPort || toPort.Contains(packet.DestinationPort));
    }

    private static bool IsEssentialIcmp(in PacketFacts packet)
    {
        if (packet.Protocol == 1 && packet.Source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return Icmp4Essential.Contains(packet.IcmpType);
        }

        if (packet.Protocol != 58 || packet.Source.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return false;
        }

        if (Icmp6Essential.Contains(packet.IcmpType))
        {
            return true;
        }

        var discovery = packet.Direction switch
        {
            Direction.In => Icmp6DiscoveryIn,
            Direction.Out => Icmp6DiscoveryOut,
            _ => [],
        };
        if (!discovery.Contains(packet.IcmpType))
        {
            return false;
        }

        // Multicast listener discovery (130, 131, 143) is accepted from link-local sources only, like the nft rule.
        return packet.IcmpType is not (130 or 131 or 143) || LinkLocal.Contains(packet.Source);
    }

    private static bool IsDhcp(in PacketFacts packet)
        => packet.Protocol == 17 && packet.Direction switch
        {
            Direction.In => (packet.SourcePort, packet.DestinationPort) is (67, 68) or (547, 546),
            Direction.Out => (packet.SourcePort, packet.DestinationPort) is (68, 67) or (546, 547),
            _ => false,
        };
}
