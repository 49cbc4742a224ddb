namespace Outgate.Policy;

/// <summary>ufw's constraints on a rule, as a list of human-readable problems (empty when valid).</summary>
internal static class RuleValidator
{
    /// <summary>Linux IFNAMSIZ - 1.</summary>
    public const int MaxInterfaceLength = 15;

    /// <summary>nftables' limit on a comment (NFTNL_UDATA_COMMENT_MAXLEN), in UTF-8 bytes.</summary>
    public const int MaxCommentBytes = 128;

    public static IReadOnlyList<string> Validate(Rule rule)
    {
        var problems = new List<string>();
        if (rule.Interface is { } iface && InterfaceProblem(iface) is { } ifaceProblem)
        {
            problems.Add(ifaceProblem);
        }

        if (rule.Comment is { } comment && CommentProblem(comment) is { } commentProblem)
        {
            problems.Add(commentProblem);
        }

        foreach (var (ports, name) in new[] { (rule.FromPort, "from"), (rule.ToPort, "to") })
        {
            if (ports is null)
            {
                continue;
            }

            if (rule.Protocol is not (Protocol.Any or Protocol.Tcp or Protocol.Udp))
            {
                problems.Add($"Invalid port with protocol '{ProtocolName(rule.Protocol)}': only tcp and udp have ports ({name} port {ports})");
            }
            else if (rule.Protocol == Protocol.Any && !ports.IsSinglePort)
            {
                problems.Add($"Must specify 'tcp' or 'udp' with multiple ports ({name} port {ports})");
            }

            if (ports.UfwCount > PortSpec.MaxListCount)
            {
                problems.Add($"Too many ports in '{ports}': at most {PortSpec.MaxListCount}, a range counts as 2");
            }
        }

        var destinations = (rule.To is null ? 0 : 1) + (rule.ToDomain is null ? 0 : 1) + (rule.ToList is null ? 0 : 1);
        if (destinations > 1)
        {
            problems.Add("A rule has one destination: an address, a domain or a list (write one rule for each)");
        }

        if ((rule.ToDomain is not null || rule.ToList is not null) && rule.Direction != Direction.Out)
        {
            problems.Add($"'to {(rule.ToDomain is not null ? "domain" : "list")}' applies to outgoing rules only: write '{UfwRuleFormatter.ActionName(rule.Action)} out to {(rule.ToDomain is not null ? "domain" : "list")} ...'");
        }

        if ((rule.ToDomain is not null || rule.ToList is not null) && rule.Action == RuleAction.Limit)
        {
            problems.Add("'limit' cannot be combined with 'to domain' or 'to list': it limits incoming sources; use allow, deny or reject");
        }

        if (rule.ToList is { } list && ListPathProblem(list) is { } listProblem)
        {
            problems.Add(listProblem);
        }

        if (rule.From is { } from && rule.To is { } to && AddressSyntax.FamilyOf(from) != AddressSyntax.FamilyOf(to))
        {
            problems.Add("Mixed IP versions for 'from' and 'to'");
        }
        else if (rule.Protocol is Protocol.Ipv6 or Protocol.Igmp && FamiliesOf(rule) == AddressFamilies.None)
        {
            problems.Add($"Protocol '{ProtocolName(rule.Protocol)}' is IPv4 only but the rule has an IPv6 address");
        }

        if (rule.Subject is { } subject)
        {
            if (subject.IsEmpty)
            {
                problems.Add("Empty program subject: give at least one of app, hash, cmdline, parent, user, group, unit, cgroup or container");
            }
            else if (rule.Direction != Direction.Out)
            {
                problems.Add($"Program subjects ({SubjectSyntax.Describe(subject)}) apply to outgoing rules only: write '{UfwRuleFormatter.ActionName(rule.Action)} out {SubjectSyntax.Describe(subject)} ...'");
            }

            foreach (var (field, value) in SubjectSyntax.Fields(subject))
            {
                if (SubjectSyntax.Problem(field, value) is { } problem)
                {
                    problems.Add(problem.Message);
                }
            }

            if (rule.Action == RuleAction.Limit)
            {
                problems.Add("'limit' cannot be combined with a program subject: the kernel's per-source limit knows no programs; use allow or deny");
            }
        }

        if (rule.BootId is { } bootId && (bootId.Length == 0 || bootId.Length > 64 || bootId.Any(c => !(char.IsAsciiHexDigit(c) || c == '-'))))
        {
            problems.Add($"Bad boot id '{Quote.Escape(bootId)}': expected a UUID as in /proc/sys/kernel/random/boot_id");
        }

        return problems;
    }

    public static AddressFamilies FamiliesOf(Rule rule)
    {
        var families = AddressFamilies.Both;
        if (rule.From is { } from)
        {
            families &= AddressSyntax.FamilyOf(from);
        }

        if (rule.To is { } to)
        {
            families &= AddressSyntax.FamilyOf(to);
        }

        if (rule.Protocol is Protocol.Ipv6 or Protocol.Igmp)
        {
            families &= AddressFamilies.IPv4;
        }

        return families;
    }

    /// <summary>Why <paramref name="name"/> is not a usable interface name, or null.</summary>
    public static string? InterfaceProblem(string name)
    {
        var bare = name.EndsWith('+') ? name[..^1] : name;
        if (bare.Length == 0)
        {
            return $"Bad interface name '{Quote.Escape(name)}': empty";
        }

        if (name.Length > MaxInterfaceLength)
        {
            return $"Bad interface name '{Quote.Escape(name)}': longer than {MaxInterfaceLength} characters";
        }

        if (bare is "." or "..")
        {
            return $"Bad interface name '{Quote.Escape(name)}'";
        }

        foreach (var c in bare)
        {
            if (c == ':')
            {
                return $"Bad interface name '{Quote.Escape(name)}': interface aliases (':') are not supported";
            }

            if (c is '/' or '+' or '"' or '\'' or '\\' || char.IsWhiteSpace(c) || char.IsControl(c) || c > '~')
            {
                return $"Bad interface name '{Quote.Escape(name)}': no '/', whitespace, quotes or non-ASCII; '+' only at the end as a wildcard";
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="path"/> cannot name a list file, or null.</summary>
    public static string? ListPathProblem(string path)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return $"Bad list path '{Quote.Escape(path)}': give an absolute path, e.g. /etc/outgate/lists/ads.txt";
        }

        if (path.Any(char.IsControl) || path.Contains('"', StringComparison.Ordinal) || path.Contains('\'', StringComparison.Ordinal))
        {
            return $"Bad list path '{Quote.Escape(path)}': no control characters or quotes";
        }

        if (path.Length > 4095)
        {
            return $"Bad list path '{Quote.Escape(path)}': longer than PATH_MAX";
        }

        return path.EndsWith('/') ? $"Bad list path '{Quote.Escape(path)}': names a directory, give the list file" : null;
    }

    /// <summary>Why <paramref name="comment"/> cannot be stored, or null.</summary>
    public static string? CommentProblem(string comment)
    {
        if (comment.Any(char.IsControl))
        {
            return $"Bad comment '{Quote.Escape(comment)}': control characters are not allowed";
        }

        if (comment.Contains('\'', StringComparison.Ordinal) || comment.Contains('"', StringComparison.Ordinal))
        {
            return $"Bad comment '{Quote.Escape(comment)}': comments may not contain quotes";
        }

        if (Encoding.UTF8.GetByteCount(comment) > MaxCommentBytes)
        {
            return $"Bad comment '{Quote.Escape(comment)}': longer than {MaxCommentBytes} bytes";
        }

        return null;
    }

    public static string ProtocolName(Protocol protocol) => protocol switch
    {
        Protocol.Any => "any",
        Protocol.Tcp => "tcp",
        Protocol.Udp => "udp",
        Protocol.Ah => "ah",
        Protocol.Esp => "esp",
        Protocol.Gre => "gre",
        Protocol.Ipv6 => "ipv6",
        Protocol.Igmp => "igmp",
        _ => PolicyThrow.Unreachable<string>(protocol),
    };

    public static bool TryParseProtocol(string text, out Protocol protocol)
    {
        protocol = text.ToLowerInvariant() switch
        {
            "any" => Protocol.Any,
            "tcp" => Protocol.Tcp,
            "udp" => Protocol.Udp,
            "ah" => Protocol.Ah,
            "esp" => Protocol.Esp,
            "gre" => Protocol.Gre,
            "ipv6" => Protocol.Ipv6,
            "igmp" => Protocol.Igmp,
            _ => (Protocol)0,
        };
        return protocol != 0;
    }

    public const string ProtocolList = "tcp, udp, ah, esp, gre, ipv6, igmp or any";
}
