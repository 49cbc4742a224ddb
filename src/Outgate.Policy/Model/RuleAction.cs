namespace Outgate.Policy;

/// <summary>What a matching rule does.</summary>
public enum RuleAction
{
    /// <summary>Accept the packet.</summary>
    Allow,
    /// <summary>Drop the packet silently.</summary>
    Deny,
    /// <summary>Refuse: TCP reset for tcp, ICMP/ICMPv6 admin-prohibited otherwise.</summary>
    Reject,
    /// <summary>ufw `limit`: accept, but reject a source that opens 6 or more new connections within 30 seconds.</summary>
    Limit,
}
