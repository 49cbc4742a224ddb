namespace Outgate.Policy;

/// <summary>Layer-4 protocol of a rule. Values are the IANA protocol numbers (except <see cref="Any"/>).</summary>
public enum Protocol
{
    /// <summary>Any protocol; with a port, tcp and udp.</summary>
    Any = -1,
    /// <summary>tcp (6).</summary>
    Tcp = 6,
    /// <summary>udp (17).</summary>
    Udp = 17,
    /// <summary>ah (51), no ports.</summary>
    Ah = 51,
    /// <summary>esp (50), no ports.</summary>
    Esp = 50,
    /// <summary>gre (47), no ports.</summary>
    Gre = 47,
    /// <summary>ipv6 (41, 6in4 encapsulation), IPv4 only, no ports.</summary>
    Ipv6 = 41,
    /// <summary>igmp (2), IPv4 only, no ports.</summary>
    Igmp = 2,
}
