namespace Outgate.Policy;

/// <summary>
/// ufw's status layout (backend <c>get_status</c>): columns <c>%-26s %-12s%-26s</c>, incoming, outgoing and routed sections
/// separated by a blank line, IPv4 lines before <c>(v6)</c> lines, interfaces shown as ufw does (input interface under
/// To, output interface under From; for routed rules the input interface under From).
/// </summary>
internal static class UfwStatusWriter
{
    public static string Write(FirewallPolicy policy, UfwStatusView view, bool active, DateTimeOffset now, string? currentBootId)
    {
        if (!active)
        {
            return "Status: inactive";
        }

        var numbered = view == UfwStatusView.Numbered;
        var verbose = view == UfwStatusView.Verbose;
        var incoming = new StringBuilder();
        var outgoing = new StringBuilder();
        var routed = new StringBuilder();
        var all = new StringBuilder();
        if (numbered)
        {
            for (var i = 0; i < policy.Rules.Count; i++)
            {
                var rule = policy.Rules[i];
                var v6 = rule.Families == AddressFamilies.IPv6;
                all.Append(CultureInfo.InvariantCulture, $"[{i + 1,2}] ").Append(Line(rule, v6, numbered: true, verbose: false, now, currentBootId));
            }
        }
        else
        {
            foreach (var v6 in new[] { false, true })
            {
                foreach (var rule in policy.Rules)
                {
                    if (!rule.Families.HasFlag(v6 ? AddressFamilies.IPv6 : AddressFamilies.IPv4))
                    {
                        continue;
                    }

                    var target = rule.Direction switch
                    {
                        Direction.Forward => routed,
                        Direction.Out => outgoing,
                        _ => incoming,
                    };
                    target.Append(Line(rule, v6, numbered: false, verbose, now, currentBootId));
                }
            }
        }

        var rules = new StringBuilder();
        if (all.Length > 0 || incoming.Length > 0 || outgoing.Length > 0 || routed.Length > 0)
        {
            var indent = numbered ? "     " : "";
            rules.Append("\n\n").Append(indent).Append(Header("To", "Action", "From"))
                .Append(indent).Append(Header("--", "------", "----"));
            rules.Append(all).Append(incoming);
            if (incoming.Length > 0 && outgoing.Length > 0)
            {
                rules.Append('\n');
            }

            rules.Append(outgoing);
            if (incoming.Length > 0 && routed.Length > 0)
            {
                rules.Append('\n');
            }

            rules.Append(routed);
        }

        if (!verbose)
        {
            return "Status: active" + rules;
        }

        var logging = policy.Logging == LogLevel.Off ? "Logging: off" : $"Logging: on ({LevelName(policy.Logging)})";
        var defaults = $"Default: {PolicyName(policy.Defaults.Incoming)} (incoming), {PolicyName(policy.Defaults.Outgoing)} (outgoing), {PolicyName(policy.Defaults.Routed)} (routed)";
        // ufw's lines stay as ufw prints them (scripts parse them); Outgate's own switches follow only when on.
        var dns = (policy.DnsRequired ? $"\nDNS required: on (grace {DnsGraceSyntax.Format(policy.DnsGrace)})" : "")
            + (policy.BlockDoh ? "\nPublic DoH/DoT resolvers: blocked" : "");
        return $"Status: active\n{logging}\n{defaults}\nNew profiles: skip{dns}{rules}";
    }

    public static (string To, string Action, string From) Columns(Rule rule, bool v6)
    {
        var (to, from) = Locations(rule, v6);
        return (to, Action(rule, numbered: false, verbose: false).TrimEnd(), from);
    }

    private static string Line(Rule rule, bool v6, bool numbered, bool verbose, DateTimeOffset now, string? currentBootId)
    {
        var (to, from) = Locations(rule, v6);
        if (rule.Subject is { } subject)
        {
            to += $" ({SubjectSyntax.Describe(subject)})";
        }

        if (Lifetime(rule, now, currentBootId) is { } lifetime)
        {
            from += $" ({lifetime})";
        }

        var attributes = new List<string>();
        if (rule.Logging != RuleLogging.None)
        {
            attributes.Add(rule.Logging == RuleLogging.All ? "log-all" : "log");
        }

        if (numbered && rule.Direction == Direction.Out)
        {
            attributes.Add("out");
        }

        var attributeText = attributes.Count > 0 ? $" ({string.Join(", ", attributes)})" : "";
        var comment = rule.Comment is { } c ? $" # {c}" : "";
        return $"{to,-26} {Action(rule, numbered, verbose),-12}{from,-26}{attributeText}{comment}\n";
    }

    /// <summary><c>for 59m</c>, <c>until reboot</c>, <c>expired</c> (kept listed so rule numbers stay those of <c>delete N</c>), or null.</summary>
    private static string? Lifetime(Rule rule, DateTimeOffset now, string? currentBootId)
    {
        if (rule.Expires is { } expires)
        {
            return expires <= now ? "expired" : $"for {Remaining(expires - now)}";
        }

        if (rule.BootId is { } bootId)
        {
            return currentBootId is not null && bootId != currentBootId ? "expired: earlier boot" : "until reboot";
        }

        return null;
    }

    /// <summary>Time left in at most two units, rounded down: <c>2d 3h</c>, <c>1h 59m</c>, <c>59m</c>, <c>30s</c>.</summary>
    internal static string Remaining(TimeSpan left)
    {
        if (left.TotalDays >= 1)
        {
            return left.Hours > 0 ? $"{(int)left.TotalDays}d {left.Hours}h" : $"{(int)left.TotalDays}d";
        }

        if (left.TotalHours >= 1)
        {
            return left.Minutes > 0 ? $"{left.Hours}h {left.Minutes}m" : $"{left.Hours}h";
        }

        return left.TotalMinutes >= 1 ? $"{left.Minutes}m" : $"{Math.Max(left.Seconds, 1)}s";
    }

    private static string Action(Rule rule, bool numbered, bool verbose)
    {
        var direction = rule.Direction switch
        {
            Direction.Forward => "FWD",
            Direction.Out => "OUT",
            _ => numbered || verbose ? "IN" : "",
        };
        return $"{UfwRuleFormatter.ActionName(rule.Action).ToUpperInvariant()} {direction}";
    }

    private static (string To, string From) Locations(Rule rule, bool v6)
    {
        var bothAny = rule.From is null && rule.To is null;
        var to = rule.ToDomain is not null || rule.ToList is not null ? NamedDestination(rule, v6) : Location(rule, rule.To, rule.ToPort, v6, bothAny);
        var from = Location(rule, rule.From, rule.FromPort, v6, bothAny);
        if (rule.Interface is { } iface)
        {
            // ufw: the input interface shows under To, the output interface under From; routed rules show their
            // input interface under From (relative to the packet's path).
            if (rule.Direction == Direction.In)
            {
                to += $" on {iface}";
            }
            else
            {
                from += $" on {iface}";
            }
        }

        return (to, from);
    }

    /// <summary><c>domain *.mozilla.org 443/tcp</c>, <c>list /etc/outgate/lists/ads.txt</c>, with <c>(v6)</c> on the IPv6 line.</summary>
    private static string NamedDestination(Rule rule, bool v6)
    {
        var text = rule.ToDomain is { } domain ? $"domain {domain}" : $"list {rule.ToList}";
        var protocol = rule.Protocol == Protocol.Any ? null : RuleValidator.ProtocolName(rule.Protocol);
        if (rule.ToPort is { } port)
        {
            text += $" {port}" + (protocol is null ? "" : "/" + protocol);
        }
        else if (protocol is not null)
        {
            text += "/" + protocol;
        }

        return v6 ? text + " (v6)" : text;
    }

    private static string Location(Rule rule, IPNetwork? address, PortSpec? port, bool v6, bool bothAny)
    {
        var protocol = rule.Protocol == Protocol.Any ? null : RuleValidator.ProtocolName(rule.Protocol);
        var text = address is null ? "" : AddressSyntax.Format(address);
        if (port is not null)
        {
            text = text.Length == 0 ? port.ToString() : $"{text} {port}";
            if (protocol is not null)
            {
                text += "/" + protocol;
            }

            if (v6 && bothAny)
            {
                text += " (v6)";
            }

            return text;
        }

        var portsEqual = rule.FromPort == rule.ToPort;
        if (address is null)
        {
            text = "Anywhere";
            if (protocol is not null && bothAny && portsEqual)
            {
                text += "/" + protocol;
            }

            if (v6)
            {
                text += " (v6)";
            }
        }
        else if (protocol is not null && portsEqual)
        {
            text += "/" + protocol;
        }

        return text;
    }

    private static string Header(string to, string action, string from) => $"{to,-26} {action,-12}{from}\n";

    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Off => "off",
        LogLevel.Low => "low",
        LogLevel.Medium => "medium",
        LogLevel.High => "high",
        LogLevel.Full => "full",
        _ => PolicyThrow.Unreachable<string>(level),
    };

    public static string PolicyName(DefaultPolicy policy) => policy switch
    {
        DefaultPolicy.Allow => "allow",
        DefaultPolicy.Deny => "deny",
        DefaultPolicy.Reject => "reject",
        DefaultPolicy.Disabled => "disabled",
        _ => PolicyThrow.Unreachable<string>(policy),
    };
}
