namespace Outgate.Policy;

internal sealed partial class NftTableBuilder
{
    /// <summary>One user rule as nft rules: optional log rule, then the verdict rule(s).</summary>
    private List<NftRule> CompileRule(Rule rule, int number, NftMatch? destination = null)
    {
        var matches = Matches(rule, destination);
        matches.InsertRange(0, Owner(rule));
        var comment = Comment(rule, number);
        var result = new List<NftRule>();
        if (rule.Logging != RuleLogging.None)
        {
            var log = new List<NftStatement>(matches);
            if (rule.Logging == RuleLogging.New)
            {
                log.Add(new NftCtStateMatch(["new"]));
            }

            log.Add(NftLimit.Logging);
            log.Add(new NftLog(rule.Action switch
            {
                RuleAction.Allow => AllowPrefix,
                RuleAction.Limit => "[OUTGATE LIMIT] ",
                _ => BlockPrefix,
            }));
            result.Add(new NftRule(log, comment));
        }

        switch (rule.Action)
        {
            case RuleAction.Allow:
                result.Add(new NftRule([.. matches, NftVerdict.Accept], comment));
                break;
            case RuleAction.Deny:
                result.Add(new NftRule([.. matches, NftVerdict.Drop], comment));
                break;
            case RuleAction.Reject:
                result.AddRange(Reject(rule, matches, comment));
                break;
            case RuleAction.Limit:
                foreach (var family in new[] { AddressFamilies.IPv4, AddressFamilies.IPv6 })
                {
                    if (!rule.Families.HasFlag(family))
                    {
                        continue;
                    }

                    var v4 = family == AddressFamilies.IPv4;
                    var set = new NftSet($"limit_{number}_{(v4 ? "v4" : "v6")}", v4 ? "ipv4_addr" : "ipv6_addr", 65535, 60);
                    sets.Add(set);
                    var over = new List<NftStatement>(matches)
                    {
                        new NftCtStateMatch(["new"]),
                        new NftSetAdd(set.Name, NftExpression.Payload(v4 ? "ip" : "ip6", "saddr"), LimitRule),
                    };
                    result.AddRange(Reject(rule, over, comment));
                }

                result.Add(new NftRule([.. matches, NftVerdict.Accept], comment));
                break;
        }

        return result;
    }

    /// <summary><c>meta skuid N</c> / <c>meta skgid N</c> for a user/group subject; names are resolved now, so the table holds ids.</summary>
    private IEnumerable<NftStatement> Owner(Rule rule)
    {
        if (rule.Subject is not { } subject)
        {
            yield break;
        }

        if (subject.User is { } user)
        {
            if (!options.Accounts.TryGetUid(user, out var uid))
            {
                PolicyThrow.InvalidRule(rule, [$"Unknown user '{Quote.Escape(user)}': not in /etc/passwd (create the account first, or give a numeric uid)"]);
            }

            yield return new NftMatch(NftExpression.Meta("skuid"), NftExpression.Number(uid));
        }

        if (subject.Group is { } group)
        {
            if (!options.Accounts.TryGetGid(group, out var gid))
            {
                PolicyThrow.InvalidRule(rule, [$"Unknown group '{Quote.Escape(group)}': not in /etc/group (create the group first, or give a numeric gid)"]);
            }

            yield return new NftMatch(NftExpression.Meta("skgid"), NftExpression.Number(gid));
        }
    }

    private static IEnumerable<NftRule> Reject(Rule rule, List<NftStatement> matches, string comment)
    {
        if (rule.Protocol == Protocol.Tcp)
        {
            yield return new NftRule([.. matches, new NftReject(TcpReset: true)], comment);
            yield break;
        }

        if (rule.Protocol == Protocol.Any)
        {
            yield return new NftRule([.. matches, new NftMatch(NftExpression.Meta("l4proto"), NftExpression.Symbol("tcp")), new NftReject(TcpReset: true)], comment);
        }

        yield return new NftRule([.. matches, new NftReject(TcpReset: false)], comment);
    }

    private static List<NftStatement> Matches(Rule rule, NftMatch? destination = null)
    {
        var matches = new List<NftStatement>();
        if (rule.Interface is { } iface)
        {
            var name = iface.EndsWith('+') ? iface[..^1] + "*" : iface;
            matches.Add(new NftMatch(NftExpression.Meta(rule.Direction == Direction.Out ? "oifname" : "iifname"), NftExpression.String(name)));
        }

        if (rule.From is { } from)
        {
            matches.Add(new NftMatch(NftExpression.Payload(FamilyKeyword(from), "saddr"), new NftPrefixExpression(from)));
        }

        if (rule.To is { } to)
        {
            matches.Add(new NftMatch(NftExpression.Payload(FamilyKeyword(to), "daddr"), new NftPrefixExpression(to)));
        }

        if (destination is not null)
        {
            matches.Add(destination);
        }
        else if (rule.From is null && rule.To is null && rule.Families == AddressFamilies.IPv4)
        {
            matches.Add(new NftMatch(NftExpression.Meta("nfproto"), NftExpression.Symbol("ipv4")));
        }

        switch (rule.Protocol)
        {
            case Protocol.Tcp or Protocol.Udp:
                var name = rule.Protocol == Protocol.Tcp ? "tcp" : "udp";
                if (rule.FromPort is null && rule.ToPort is null)
                {
                    matches.Add(new NftMatch(NftExpression.Meta("l4proto"), NftExpression.Symbol(name)));
                }

                AddPorts(matches, name, rule);
                break;
            case Protocol.Any:
                if (rule.FromPort is not null || rule.ToPort is not null)
                {
                    matches.Add(new NftMatch(NftExpression.Meta("l4proto"), new NftSetExpression([NftExpression.Symbol("tcp"), NftExpression.Symbol("udp")])));
                    AddPorts(matches, "th", rule);
                }

                break;
            default:
                matches.Add(new NftMatch(NftExpression.Meta("l4proto"), NftExpression.Number((int)rule.Protocol)));
                break;
        }

        return matches;
    }

    private static void AddPorts(List<NftStatement> matches, string protocol, Rule rule)
    {
        if (rule.FromPort is { } fromPort)
        {
            matches.Add(new NftMatch(NftExpression.Payload(protocol, "sport"), Ports(fromPort)));
        }

        if (rule.ToPort is { } toPort)
        {
            matches.Add(new NftMatch(NftExpression.Payload(protocol, "dport"), Ports(toPort)));
        }
    }

    internal static NftExpression Ports(PortSpec spec)
    {
        static NftExpression One(PortRange range) => range.IsSingle ? NftExpression.Number(range.First) : new NftRangeExpression(range.First, range.Last);
        return spec.Ranges.Count == 1 ? One(spec.Ranges[0]) : new NftSetExpression(spec.Ranges.Select(One).ToArray());
    }

    private static string FamilyKeyword(IPNetwork network) => AddressSyntax.FamilyOf(network) == AddressFamilies.IPv4 ? "ip" : "ip6";

    /// <summary><c>outgate rule N: &lt;ufw command&gt;</c>, trimmed to nft's 128-byte comment limit.</summary>
    private static string Comment(Rule rule, int number)
    {
        var text = $"outgate rule {number}: {string.Join(' ', rule.ToUfwTokens())}";
        while (Encoding.UTF8.GetByteCount(text) > RuleValidator.MaxCommentBytes)
        {
            text = text[..^2] + "…";
            if (Encoding.UTF8.GetByteCount(text) <= RuleValidator.MaxCommentBytes)
            {
                break;
            }

            text = text[..^1];
        }

        return text;
    }
}
