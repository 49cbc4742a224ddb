namespace Outgate.Policy;

/// <summary>Which netfilter hook a rule or default applies to.</summary>
public enum Direction
{
    /// <summary>Traffic to this host (hook input; ufw `in`, the default when no direction is given).</summary>
    In,
    /// <summary>Traffic from this host (hook output; ufw `out`).</summary>
    Out,
    /// <summary>Routed traffic (hook forward; ufw `route`, defaults key `routed`).</summary>
    Forward,
}
