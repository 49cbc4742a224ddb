namespace Outgate.Policy;

/// <summary>
/// Decides new outgoing connections by the policy's rules that have a <see cref="RuleSubject"/>,
/// with explicit precedence: the most specific matching subject wins (hash pin, then executable
/// path, command line, parent, container, unit, cgroup, user, group); among equally specific
/// rules deny/reject wins over allow; then rule order. Expired rules (<see cref="Rule.Expires"/>,
/// <see cref="Rule.BootId"/> of another boot) never match. Thread-safe, built once per policy.
/// </summary>
public sealed partial class SubjectMatcher
{
    /// <summary>Prepares the subject rules of <paramref name="policy"/> (rules without a subject are ignored).</summary>
    public SubjectMatcher(FirewallPolicy policy, string? currentBootId = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        CurrentBootId = currentBootId;
    }

    public FirewallPolicy Policy { get; }

    public string? CurrentBootId { get; }

    /// <summary>True when the policy has at least one rule with a subject.</summary>
    public bool HasSubjectRules => Policy.Rules.Any(r => r.Subject is not null);

    /// <summary>Decides <paramref name="packet"/> sent by <paramref name="process"/> at <paramref name="now"/>.</summary>
    public SubjectDecision Decide(in PacketFacts packet, ProcessFacts process, DateTimeOffset now)
        => throw new NotImplementedException("filled in by the policy work");

    /// <summary>
    /// Human lines explaining the decision: every subject rule considered, whether it matched and why
    /// not (which field differed), and which one won by which precedence step.
    /// </summary>
    public IReadOnlyList<string> Explain(in PacketFacts packet, ProcessFacts process, DateTimeOffset now)
        => throw new NotImplementedException("filled in by the policy work");
}
