namespace Outgate.Linux.Conntrack;

/// <summary>Which ctnetlink multicast groups a listener joins.</summary>
[Flags]
public enum ConntrackEventGroups
{
    None = 0,
    New = 1,
    Update = 2,
    Destroy = 4,
}
