namespace Outgate.Policy;

/// <summary>Default policies per direction. The parameterless instance is ufw's: deny incoming, allow outgoing, routed disabled.</summary>
public sealed record Defaults
{
    /// <summary>Policy for incoming packets no rule matched. Default deny. Disabled is not allowed.</summary>
    public DefaultPolicy Incoming { get; init; } = DefaultPolicy.Deny;

    /// <summary>Policy for outgoing packets no rule matched. Default allow. Disabled is not allowed.</summary>
    public DefaultPolicy Outgoing { get; init; } = DefaultPolicy.Allow;

    /// <summary>Policy for routed packets no rule matched. Default disabled (Outgate leaves forwarding alone).</summary>
    public DefaultPolicy Routed { get; init; } = DefaultPolicy.Disabled;

    /// <summary>The policy for <paramref name="direction"/>.</summary>
    public DefaultPolicy For(Direction direction) => direction switch
    {
        Direction.In => Incoming,
        Direction.Out => Outgoing,
        Direction.Forward => Routed,
        _ => PolicyThrow.Unreachable<DefaultPolicy>(direction),
    };

    /// <summary>A copy with <paramref name="direction"/> set to <paramref name="policy"/>.</summary>
    public Defaults With(Direction direction, DefaultPolicy policy) => direction switch
    {
        Direction.In => this with { Incoming = policy },
        Direction.Out => this with { Outgoing = policy },
        Direction.Forward => this with { Routed = policy },
        _ => PolicyThrow.Unreachable<Defaults>(direction),
    };
}
