namespace Outgate.Policy;

/// <summary>Address families a rule covers.</summary>
[Flags]
public enum AddressFamilies
{
    /// <summary>None: the rule can never match (e.g. an IPv4 source with an IPv6 destination).</summary>
    None = 0,
    /// <summary>IPv4.</summary>
    IPv4 = 1,
    /// <summary>IPv6.</summary>
    IPv6 = 2,
    /// <summary>Both.</summary>
    Both = IPv4 | IPv6,
}
