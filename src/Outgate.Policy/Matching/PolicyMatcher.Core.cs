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

        var v6 = packet.Source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        foreach (var rule in byDirection[(int)packet.Direction])
        {
            if (rule.Matches(packet, v6))
            {
                return rule.Decision;
            }
        }

        return Policy.Defaults.For(packet.Direction) switch
        {
            DefaultPolicy.Deny => new Decision(Verdict.Drop, DecisionReason.Default, 0),
            DefaultPolicy.Reject => new Decision(Verdict.Reject, DecisionReason.Default, 0),
            _ => new Decision(Verdict.Accept, DecisionReason.Default, 0),
        };
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
