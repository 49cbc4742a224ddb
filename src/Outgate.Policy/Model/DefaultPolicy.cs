namespace Outgate.Policy;

/// <summary>The verdict for packets no rule matched.</summary>
public enum DefaultPolicy
{
    /// <summary>Accept.</summary>
    Allow,
    /// <summary>Drop silently.</summary>
    Deny,
    /// <summary>Refuse with a TCP reset or ICMP admin-prohibited.</summary>
    Reject,
    /// <summary>
    /// Routed only: Outgate does not filter forwarded traffic at all (no forward chain unless routed rules
    /// exist, and then its policy is accept), so docker and other routers keep working. ufw prints the same word.
    /// </summary>
    Disabled,
}
