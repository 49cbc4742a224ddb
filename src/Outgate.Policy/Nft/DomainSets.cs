using System.Buffers.Binary;
using Outgate.Policy.Domains;

namespace Outgate.Policy;

/// <summary>
/// The names of the sets a compiled policy holds for DNS-named destinations, computed from the policy alone so the
/// compiler and the daemon can never disagree:
/// <list type="bullet">
/// <item>every rule with <c>to domain</c> or <c>to list</c> whose subject the kernel can judge (none, or only user/group)
/// gets a stable index k, counted in rule order over exactly those rules, expired or not;</item>
/// <item>a domain or a domain list: timeout sets <c>dom_k_4</c>/<c>dom_k_6</c> (created even while the rule is expired or
/// of another boot, so a set named by <see cref="For"/> always exists);</item>
/// <item>an IP list: interval sets <c>list_k_4</c>/<c>list_k_6</c> filled by the compiler (not in <see cref="For"/>);</item>
/// <item><c>dns-required</c>: <see cref="Seen4"/>/<see cref="Seen6"/> (timeout) and <see cref="Exempt4"/>/<see cref="Exempt6"/>;
/// <c>block-doh</c>: <see cref="Doh4"/>/<see cref="Doh6"/>.</item>
/// </list>
/// Rules naming a program (app, hash, cmdline, ...) with a domain are not compiled: the daemon decides them per connection.
/// </summary>
public static class DomainSets
{
    public const string Seen4 = "dns_seen_4", Seen6 = "dns_seen_6";
    public const string Exempt4 = "dns_exempt_4", Exempt6 = "dns_exempt_6";
    public const string Doh4 = "doh_4", Doh6 = "doh_6";

    /// <summary>
    /// The sets the daemon fills, for rules not expired at <paramref name="now"/>, in compile order. A <c>to list</c> file is
    /// opened to tell domain lists from IP lists (an unreadable one counts as a domain list, like the compiler does for a
    /// rule it does not enforce). Never throws for a bad list.
    /// </summary>
    public static IReadOnlyList<DomainSetBinding> For(FirewallPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var bindings = new List<DomainSetBinding>();
        foreach (var (rule, index, k) in KernelRules(policy))
        {
            if (rule.Expires is { } expires && expires <= now)
            {
                continue;
            }

            if (rule.ToList is { } list && KindOf(list) == ListKind.Addresses)
            {
                continue;
            }

            bindings.Add(new DomainSetBinding(DomainName(k, v4: true), DomainName(k, v4: false), rule.ToDomain, rule.ToList, index, rule.Action));
        }

        return bindings;
    }

    /// <summary>
    /// dns_exempt: loopback and the explicit destinations of the <paramref name="enforced"/> outgoing allow (and limit)
    /// rules, plus <paramref name="allowedAddressLists"/> (the IP lists of enforced allow rules). The compiler loads it
    /// into the kernel; the daemon judges with the same set, so both exempt exactly the same addresses.
    /// </summary>
    public static AddressRangeSet Exempt(FirewallPolicy policy, Func<Rule, bool> enforced, IEnumerable<AddressRangeSet> allowedAddressLists)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var builder = new AddressRangeSetBuilder();
        builder.AddPrefix(0x7f000000, 8, isIPv6: false);
        builder.AddPrefix(UInt128.One, 128, isIPv6: true);
        Span<byte> bytes = stackalloc byte[16];
        foreach (var rule in policy.Rules)
        {
            if (rule.Direction == Direction.Out && rule.Action is RuleAction.Allow or RuleAction.Limit && rule.To is { } to && enforced(rule))
            {
                var v4 = to.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
                to.BaseAddress.TryWriteBytes(bytes, out _);
                var value = v4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
                builder.AddPrefix(value, to.PrefixLength, isIPv6: !v4);
            }
        }

        foreach (var list in allowedAddressLists)
        {
            foreach (var range in list.IPv4.Concat(list.IPv6))
            {
                builder.Add(range);
            }
        }

        return builder.Build();
    }

    /// <summary>The <c>to list</c> rules among <see cref="KernelRules"/> (the kernel judges their subject), in order.</summary>
    public static IEnumerable<Rule> KernelRuleLists(FirewallPolicy policy) =>
        KernelRules(policy).Select(r => r.Rule).Where(rule => rule.ToList is not null);

    /// <summary>Rules with a DNS-named destination that the kernel enforces, with their 0-based index and set index k.</summary>
    internal static IEnumerable<(Rule Rule, int Index, int K)> KernelRules(FirewallPolicy policy)
    {
        var k = 0;
        for (var i = 0; i < policy.Rules.Count; i++)
        {
            var rule = policy.Rules[i];
            if ((rule.ToDomain is not null || rule.ToList is not null) && (rule.Subject is null || rule.Subject.IsKernelJudgeable))
            {
                yield return (rule, i, k++);
            }
        }
    }

    internal static string DomainName(int k, bool v4) => $"dom_{k}_{(v4 ? 4 : 6)}";

    internal static string ListName(int k, bool v4) => $"list_{k}_{(v4 ? 4 : 6)}";

    /// <summary>The kind of list a path holds; unreadable counts as a domain list (its sets stay empty).</summary>
    internal static ListKind KindOf(string path) => ListKindDetector.TryDetect(path, out var kind, out _) ? kind : ListKind.Domains;
}
