namespace Outgate.Policy;

/// <summary>
/// A complete policy: defaults, logging level and the rules in evaluation order (first match wins, as in ufw).
/// Equality compares the rules in order.
/// </summary>
public sealed record FirewallPolicy
{
    /// <summary>ufw's out-of-the-box policy: deny incoming, allow outgoing, routed disabled, logging low, no rules.</summary>
    public static FirewallPolicy Default { get; } = new();

    /// <summary>Default policies.</summary>
    public Defaults Defaults { get; init; } = new();

    /// <summary>Logging level; default low (ufw's <c>logging on</c>).</summary>
    public LogLevel Logging { get; init; } = LogLevel.Low;

    /// <summary>
    /// What the output chain does with a new connection the daemon never answered (it still carries <see cref="DaemonMarks.Queued"/>):
    /// false (default) drops it after the static rules had their say (fail closed); true lets the static rules and the default decide.
    /// TOML: <c>[daemon] fail_open</c>.
    /// </summary>
    public bool FailOpen { get; init; }

    /// <summary>
    /// Only let new outgoing connections reach addresses a DNS answer returned recently (set <c>dns_seen_4/_6</c>, filled by the
    /// daemon), the allow rules' explicit destinations and loopback; port 53 stays open so names can be resolved. Stops
    /// programs that dial hard-coded addresses. Default false. TOML: <c>dns-required = true</c>; CLI <c>outgate dns-required on|off</c>.
    /// </summary>
    public bool DnsRequired { get; init; }

    /// <summary>
    /// Refuse tcp/udp 443 and 853 to well-known public DoH/DoT resolvers (<see cref="PublicResolvers"/>), so programs fall back
    /// to the system resolver the daemon watches. Default false. TOML: <c>block-doh = true</c>; CLI <c>outgate block-doh on|off</c>.
    /// </summary>
    public bool BlockDoh { get; init; }

    /// <summary>Added to each DNS answer's TTL when its addresses go into the domain and dns_seen sets. Default 3 s. TOML: <c>dns-grace = "3s"</c>.</summary>
    public TimeSpan DnsGrace { get; init; } = DefaultDnsGrace;

    /// <summary>The default <see cref="DnsGrace"/>: 3 seconds.</summary>
    /// <remarks>A property, not a field: <see cref="Default"/> is built by an earlier static initialiser and must see it.</remarks>
    public static TimeSpan DefaultDnsGrace => TimeSpan.FromSeconds(3);

    /// <summary>Detectors, thresholds and alert sinks: the <c>[alerts]</c> tables of outgate.toml.</summary>
    public AlertSettings Alerts { get; init; } = AlertSettings.Default;

    /// <summary>The rules, numbered from 1 in this order by <c>status numbered</c>, <c>delete N</c> and <c>insert N</c>.</summary>
    public IReadOnlyList<Rule> Rules { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(FirewallPolicy? other)
        => other is not null && Defaults == other.Defaults && Logging == other.Logging && FailOpen == other.FailOpen
            && DnsRequired == other.DnsRequired && BlockDoh == other.BlockDoh && DnsGrace == other.DnsGrace && Alerts == other.Alerts && Rules.SequenceEqual(other.Rules);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Defaults, Logging, FailOpen, Rules.Count);
}
