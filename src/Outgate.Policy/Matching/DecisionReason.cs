namespace Outgate.Policy;

/// <summary>Why a <see cref="Decision"/> was taken.</summary>
public enum DecisionReason
{
    /// <summary>Loopback interface, always accepted.</summary>
    Loopback,
    /// <summary>ICMP/ICMPv6 message that keeps IPv4/IPv6 working (ND, PMTU, errors, echo).</summary>
    IcmpEssential,
    /// <summary>DHCP client traffic, accepted like ufw's before-rules.</summary>
    Dhcp,
    /// <summary>A user rule matched; see <see cref="Decision.RuleNumber"/>.</summary>
    Rule,
    /// <summary>No rule matched: the direction's default policy.</summary>
    Default,
}
