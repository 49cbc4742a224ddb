namespace Outgate.Policy;

/// <summary>The fate of a packet.</summary>
public enum Verdict
{
    /// <summary>Accepted.</summary>
    Accept,
    /// <summary>Dropped silently.</summary>
    Drop,
    /// <summary>Refused (TCP reset or ICMP).</summary>
    Reject,
}
