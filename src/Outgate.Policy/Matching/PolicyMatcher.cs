using Outgate.Policy.Domains;

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

    /// <summary>
    /// Prepares <paramref name="policy"/> for matching. <paramref name="lists"/> loads <c>to list</c> files (share one with the
    /// daemon's other matchers; default: a private cache).
    /// </summary>
    public PolicyMatcher(FirewallPolicy policy, DomainListCache? lists = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        byDirection = new MatchRule[3][];
        foreach (var direction in Enum.GetValues<Direction>())
        {
            byDirection[(int)direction] = policy.Rules
                .Select((rule, index) => (rule, index))
                .Where(r => r.rule.Direction == direction && r.rule.Subject is null)
                .Select(r => MatchRule.Create(r.rule, r.index + 1, lists ??= new DomainListCache()))
                .ToArray();
        }
    }

    /// <summary>The policy.</summary>
    public FirewallPolicy Policy { get; }

    /// <summary>Decides the fate of <paramref name="packet"/>.</summary>
    public Decision Decide(in PacketFacts packet) => DecideCore(packet);

    /// <summary>
    /// One line saying what decided <paramref name="packet"/>: <c>rule 3 allow out to domain *.mozilla.org: domain
    /// *.mozilla.org matched cdn.mozilla.org</c>, or the built-in or default that did.
    /// </summary>
    public string Explain(in PacketFacts packet)
    {
        var decision = DecideCore(packet);
        if (decision.Reason != DecisionReason.Rule)
        {
            return decision.Reason switch
            {
                DecisionReason.Loopback => "loopback: always accepted",
                DecisionReason.IcmpEssential => "essential ICMP/ICMPv6: accepted before the rules",
                DecisionReason.Dhcp => "DHCP client traffic: accepted before the rules",
                _ => $"no rule matched: the {TomlSchema.DefaultsKey(packet.Direction)} default ({UfwStatusWriter.PolicyName(Policy.Defaults.For(packet.Direction))}) decides",
            };
        }

        var rule = byDirection[(int)packet.Direction].First(r => r.Number == decision.RuleNumber);
        var text = $"rule {rule.Number} {Policy.Rules[rule.Number - 1].ToUfwString()}";
        return rule.ToDomain is null && rule.ToList is null ? $"{text}: matched" : $"{text}: {rule.DescribeDestination(packet)}";
    }
}
