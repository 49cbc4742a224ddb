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

    /// <summary>The rules, numbered from 1 in this order by <c>status numbered</c>, <c>delete N</c> and <c>insert N</c>.</summary>
    public IReadOnlyList<Rule> Rules { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(FirewallPolicy? other)
        => other is not null && Defaults == other.Defaults && Logging == other.Logging && FailOpen == other.FailOpen && Rules.SequenceEqual(other.Rules);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Defaults, Logging, FailOpen, Rules.Count);
}
