namespace Outgate.Policy;

/// <summary>
/// Compiles a <see cref="FirewallPolicy"/> into the nftables table <c>inet outgate</c> (pure: builds text and JSON only).
/// Chains <c>input</c>, <c>output</c> and (unless routed is disabled with no routed rules) <c>forward</c>, each a base chain at
/// priority filter whose policy is the default (reject = policy drop ending in reject rules). Order inside a chain:
/// established/related accept, mid-stream pickup of pre-existing TCP flows (input/output), invalid drop, loopback accept, ICMP/ICMPv6 essentials, DHCP client, the user rules in order
/// (first match wins), default logging, default verdict.
/// </summary>
public static class NftRulesetCompiler
{
    /// <summary>Comment of the rule that accepts mid-stream pickups of pre-existing TCP flows (input and output chains).</summary>
    public const string ConntrackPickupComment = NftTableBuilder.ConntrackPickupComment;

    /// <summary>The table name used by default.</summary>
    public const string DefaultTableName = "outgate";

    /// <summary>Compiles <paramref name="policy"/>. Throws <see cref="InvalidRuleException"/> if a rule does not validate.</summary>
    public static NftRuleset Compile(FirewallPolicy policy, NftCompileOptions? options = null)
        => new NftTableBuilder(options ?? new NftCompileOptions()).Build(policy);

    /// <summary>
    /// The panic table: input, output and forward drop everything except loopback (established flows included, so an SSH session
    /// is cut; this is <c>outgate panic on</c>).
    /// </summary>
    public static NftRuleset CompilePanic(NftCompileOptions? options = null)
        => new NftTableBuilder(options ?? new NftCompileOptions()).BuildPanic();
}
