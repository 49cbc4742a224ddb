namespace Outgate.Policy;

/// <summary>Builds the chains and sets of the table from a policy, then renders them (see <see cref="NftRulesetCompiler"/>).</summary>
internal sealed partial class NftTableBuilder(NftCompileOptions options)
{
    private const string BlockPrefix = "[OUTGATE BLOCK] ";
    private const string AllowPrefix = "[OUTGATE ALLOW] ";
    private const string AuditPrefix = "[OUTGATE AUDIT] ";
    private const string InvalidPrefix = "[OUTGATE AUDIT INVALID] ";

    /// <summary>ufw limit: deny a source with 6 or more new connections in 30 s ≈ token bucket of 5, refilled 10/minute.</summary>
    private static readonly NftLimit LimitRule = new(10, "minute", 5, Over: true);

    /// <summary>Comment of the <see cref="ConntrackPickup"/> rule (the CLI and tests find it by this).</summary>
    public const string ConntrackPickupComment = "pre-existing connections (conntrack mid-stream pickup)";

    /// <summary>
    /// Keeps connections that existed before the first apply (an SSH session) alive. Where nothing used conntrack yet,
    /// such a flow is unknown to the kernel and its next packet is picked up mid-stream as <c>ct state new</c>. Conntrack
    /// picks up only a TCP packet with ACK and without SYN (anything else is invalid), and such a packet cannot open a
    /// connection, so accepting it right after the established rule keeps old sessions without letting anything new in.
    /// </summary>
    private static readonly NftRule ConntrackPickup =
        new([NftBitwiseMatch.TcpAckWithoutSyn(), new NftCtStateMatch(["new"]), NftVerdict.Accept], ConntrackPickupComment);

    private readonly List<NftSet> sets = [];

    public NftRuleset Build(FirewallPolicy policy)
    {
        foreach (var rule in policy.Rules)
        {
            if (rule.Validate() is { Count: > 0 } problems)
            {
                PolicyThrow.InvalidRule(rule, problems);
            }
        }

        PlanDestinationSets(policy);
        var chains = new List<NftChain>
        {
            BuildChain(policy, Direction.In),
            BuildChain(policy, Direction.Out),
        };
        if (policy.Defaults.Routed != DefaultPolicy.Disabled || policy.Rules.Any(r => r.Direction == Direction.Forward))
        {
            chains.Add(BuildChain(policy, Direction.Forward));
        }

        return Render(chains, sets);
    }

    public NftRuleset BuildPanic()
    {
        NftRule Loopback(string key) => new([new NftMatch(new NftMetaExpression(key), NftExpression.String("lo")), NftVerdict.Accept], "panic: loopback only");
        var chains = new List<NftChain>
        {
            new("input", "input", "drop", [Loopback("iif")]),
            new("output", "output", "drop", [Loopback("oif")]),
            new("forward", "forward", "drop", []),
        };
        return Render(chains, []);
    }

    private NftChain BuildChain(FirewallPolicy policy, Direction direction)
    {
        var (name, hook) = direction switch
        {
            Direction.In => ("input", "input"),
            Direction.Out => ("output", "output"),
            _ => ("forward", "forward"),
        };
        var defaultPolicy = policy.Defaults.For(direction);
        var level = policy.Logging;
        var rules = new List<NftRule>();

        if (level >= LogLevel.High)
        {
            rules.Add(new(LimitedLog(level == LogLevel.High, AuditPrefix, [])));
        }

        rules.Add(new([new NftCtStateMatch(["established", "related"]), NftVerdict.Accept]));
        if (direction != Direction.Forward)
        {
            rules.Add(ConntrackPickup);
        }

        if (level >= LogLevel.Medium)
        {
            rules.Add(new(LimitedLog(level < LogLevel.High, InvalidPrefix, [new NftCtStateMatch(["invalid"])])));
        }

        rules.Add(new([new NftCtStateMatch(["invalid"]), NftVerdict.Drop]));
        if (direction == Direction.In)
        {
            rules.Add(new([new NftMatch(new NftMetaExpression("iif"), NftExpression.String("lo")), NftVerdict.Accept]));
        }
        else if (direction == Direction.Out)
        {
            rules.Add(new([new NftMatch(new NftMetaExpression("oif"), NftExpression.String("lo")), NftVerdict.Accept]));
        }

        rules.AddRange(EssentialIcmp(direction));
        rules.AddRange(Dhcp(direction));
        if (direction == Direction.Out)
        {
            // Policy-wide switches come before the daemon's verdicts and the user rules: neither can open what they close.
            rules.AddRange(DnsRequiredRules(policy));
            rules.AddRange(BlockDohRules(policy));
        }

        if (level >= LogLevel.Medium)
        {
            rules.Add(new(LimitedLog(level < LogLevel.High, AuditPrefix, [new NftCtStateMatch(["new"])])));
        }

        if (direction == Direction.Out)
        {
            rules.AddRange(DaemonVerdicts());
        }

        var user = new List<(NftRule Rule, bool Mergeable, int Number)>();
        for (var i = 0; i < policy.Rules.Count; i++)
        {
            var rule = policy.Rules[i];
            if (rule.Direction != direction || !InKernel(rule))
            {
                continue;
            }

            if (destinationSets.TryGetValue(i, out var named))
            {
                // A DNS-named destination: the rule once per family, looking the address up in that family's set.
                foreach (var v4 in new[] { true, false })
                {
                    if (rule.Families.HasFlag(v4 ? AddressFamilies.IPv4 : AddressFamilies.IPv6))
                    {
                        var lookup = new NftMatch(NftExpression.Payload(v4 ? "ip" : "ip6", "daddr"), NftExpression.Symbol("@" + (v4 ? named.Set4 : named.Set6)));
                        foreach (var nftRule in CompileRule(rule, i + 1, lookup))
                        {
                            user.Add((nftRule, false, i + 1));
                        }
                    }
                }

                continue;
            }

            if (rule.ToDomain is not null || rule.ToList is not null)
            {
                continue; // a list rule left out of the kernel (expired): no sets were made for it
            }

            var compiled = CompileRule(rule, i + 1);
            var mergeable = compiled.Count == 1 && rule.Logging == RuleLogging.None && rule.Action is RuleAction.Allow or RuleAction.Deny && rule.Subject is null;
            foreach (var nftRule in compiled)
            {
                user.Add((nftRule, mergeable, i + 1));
            }
        }

        rules.AddRange(options.MergeIntoSets ? NftRuleMerger.Merge(user) : user.Select(u => u.Rule));
        if (direction == Direction.Out && !policy.FailOpen)
        {
            rules.Add(new([NftBitwiseMatch.MarkHas(DaemonMarks.Queued), NftVerdict.Drop], "daemon did not answer: fail closed"));
        }

        if (level != LogLevel.Off && defaultPolicy is DefaultPolicy.Deny or DefaultPolicy.Reject)
        {
            rules.Add(new(LimitedLog(level < LogLevel.High, BlockPrefix, [])));
        }
        else if (level >= LogLevel.Medium && defaultPolicy == DefaultPolicy.Allow)
        {
            rules.Add(new(LimitedLog(level < LogLevel.High, AllowPrefix, [new NftCtStateMatch(["new"])])));
        }

        if (defaultPolicy == DefaultPolicy.Reject)
        {
            rules.Add(new([new NftMatch(NftExpression.Meta("l4proto"), NftExpression.Symbol("tcp")), new NftReject(TcpReset: true)]));
            rules.Add(new([new NftReject(TcpReset: false)]));
        }

        var chainPolicy = defaultPolicy is DefaultPolicy.Allow or DefaultPolicy.Disabled ? "accept" : "drop";
        return new NftChain(name, hook, chainPolicy, rules);
    }

    /// <summary>
    /// The daemon's verdict bits, right before the static rules: an app rule or prompt answer overrides them. Without a
    /// daemon no packet carries these bits, so the rules are inert and the chain behaves as the plain ufw policy.
    /// </summary>
    private static IEnumerable<NftRule> DaemonVerdicts()
    {
        yield return new([NftBitwiseMatch.MarkHas(DaemonMarks.Allow), NftVerdict.Accept], "daemon allowed");
        yield return new([NftBitwiseMatch.MarkHas(DaemonMarks.Deny), new NftMatch(NftExpression.Meta("l4proto"), NftExpression.Symbol("tcp")), new NftReject(TcpReset: true)], "daemon refused");
        yield return new([NftBitwiseMatch.MarkHas(DaemonMarks.Deny), new NftReject(TcpReset: false)], "daemon refused");
    }

    /// <summary>
    /// Whether the rule belongs in the kernel table: not expired or of another boot (when the options say what now is),
    /// and without a subject the kernel cannot judge (those are the daemon's; their numbers stay reserved).
    /// </summary>
    private bool InKernel(Rule rule)
        => (rule.Subject is null || rule.Subject.IsKernelJudgeable)
            && !(options.Now is { } now && rule.Expires is { } expires && expires <= now)
            && !(options.CurrentBootId is { } boot && rule.BootId is { } ruleBoot && ruleBoot != boot);

    private static List<NftStatement> LimitedLog(bool limited, string prefix, List<NftStatement> matches)
    {
        if (limited)
        {
            matches.Add(NftLimit.Logging);
        }

        matches.Add(new NftLog(prefix));
        return matches;
    }

    private static IEnumerable<NftRule> EssentialIcmp(Direction direction)
    {
        string[] errors4 = ["destination-unreachable", "time-exceeded", "parameter-problem", "echo-request"];
        string[] errors6 = ["destination-unreachable", "packet-too-big", "time-exceeded", "parameter-problem", "echo-request"];
        yield return new([new NftMatch(NftExpression.Payload("icmp", "type"), SymbolSet(errors4)), NftVerdict.Accept], "icmp essentials");
        yield return new([new NftMatch(NftExpression.Payload("icmpv6", "type"), SymbolSet(errors6)), NftVerdict.Accept], "icmpv6 essentials");
        if (direction == Direction.Forward)
        {
            yield break;
        }

        // Neighbour discovery and MLD are link-local: hop limit 255 (RFC 4861) keeps off-link forgeries out.
        string[] discovery = direction == Direction.In
            ? ["nd-neighbor-solicit", "nd-neighbor-advert", "nd-router-advert", "nd-redirect", "mld-listener-query"]
            : ["nd-neighbor-solicit", "nd-neighbor-advert", "nd-router-solicit", "mld-listener-report", "mld2-listener-report"];
        yield return new([new NftMatch(NftExpression.Payload("icmpv6", "type"), SymbolSet(discovery.Where(t => t.StartsWith("nd-", StringComparison.Ordinal)).ToArray())),
            new NftMatch(NftExpression.Payload("ip6", "hoplimit"), NftExpression.Number(255)), NftVerdict.Accept], "ipv6 neighbour discovery");
        yield return new([new NftMatch(NftExpression.Payload("icmpv6", "type"), SymbolSet(discovery.Where(t => t.StartsWith("mld", StringComparison.Ordinal)).ToArray())),
            new NftMatch(NftExpression.Payload("ip6", "saddr"), new NftPrefixExpression(new IPNetwork(IPAddress.Parse("fe80::"), 10))), NftVerdict.Accept], "ipv6 multicast listener discovery");
    }

    private static IEnumerable<NftRule> Dhcp(Direction direction)
    {
        if (direction == Direction.In)
        {
            yield return new([Port("udp", "sport", 67), Port("udp", "dport", 68), NftVerdict.Accept], "dhcp client");
            yield return new([Port("udp", "sport", 547), Port("udp", "dport", 546), NftVerdict.Accept], "dhcpv6 client");
        }
        else if (direction == Direction.Out)
        {
            yield return new([Port("udp", "sport", 68), Port("udp", "dport", 67), NftVerdict.Accept], "dhcp client");
            yield return new([Port("udp", "sport", 546), Port("udp", "dport", 547), NftVerdict.Accept], "dhcpv6 client");
        }
    }

    private static NftMatch Port(string protocol, string field, int port) => new(NftExpression.Payload(protocol, field), NftExpression.Number(port));

    private static NftSetExpression SymbolSet(string[] symbols) => new(symbols.Select(NftExpression.Symbol).ToArray());
}
