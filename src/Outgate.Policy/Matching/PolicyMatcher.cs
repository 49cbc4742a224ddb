namespace Outgate.Policy;

/// <summary>
/// In-memory evaluation of a policy with the same semantics as the compiled nft table, for new connections:
/// loopback, ICMP essentials and DHCP first, then the rules in order (first match wins), then the default.
/// </summary>
public sealed partial class PolicyMatcher
{
    /// <summary>Prepares <paramref name="policy"/> for matching.</summary>
    public PolicyMatcher(FirewallPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
    }

    /// <summary>The policy.</summary>
    public FirewallPolicy Policy { get; }

    /// <summary>Decides the fate of <paramref name="packet"/>.</summary>
    public Decision Decide(in PacketFacts packet) => DecideCore(packet);
}
