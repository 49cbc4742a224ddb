namespace Outgate.Policy;

/// <summary>
/// In-memory evaluation of a policy with the same semantics as the compiled nft table, for new connections:
/// loopback, ICMP essentials and DHCP first, then the rules in order (first match wins), then the default.
/// Rules are flattened per direction once; <see cref="Decide"/> allocates nothing. Rules with a <see cref="RuleSubject"/> are
/// skipped: packets alone cannot tell which program (or socket owner) sent them; <see cref="SubjectMatcher"/> decides those.
/// </summary>
public sealed partial class PolicyMatcher
{
    private readonly MatchRule[][] byDirection;

    /// <summary>Prepares <paramref name="policy"/> for matching.</summary>
    public PolicyMatcher(FirewallPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        byDirection = new MatchRule[3][];
        foreach (var direction in Enum.GetValues<Direction>())
        {
            byDirection[(int)direction] = policy.Rules
                .Select((rule, index) => (rule, index))
                .Where(r => r.rule.Direction == direction && r.rule.Subject is null)
                .Select(r => MatchRule.Create(r.rule, r.index + 1))
                .ToArray();
        }
    }

    /// <summary>The policy.</summary>
    public FirewallPolicy Policy { get; }

    /// <summary>Decides the fate of <paramref name="packet"/>.</summary>
    public Decision Decide(in PacketFacts packet) => DecideCore(packet);
}
