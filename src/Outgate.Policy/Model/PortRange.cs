namespace Outgate.Policy;

/// <summary>An inclusive port range; a single port has <see cref="First"/> == <see cref="Last"/>.</summary>
public readonly record struct PortRange(int First, int Last)
{
    /// <summary>True when the range is one port.</summary>
    public bool IsSingle => First == Last;

    /// <summary>True when <paramref name="port"/> lies in the range.</summary>
    public bool Contains(int port) => port >= First && port <= Last;

    /// <summary>ufw form: <c>80</c> or <c>1000:2000</c>.</summary>
    public override string ToString() => IsSingle ? First.ToString(CultureInfo.InvariantCulture) : $"{First}:{Last}";
}
