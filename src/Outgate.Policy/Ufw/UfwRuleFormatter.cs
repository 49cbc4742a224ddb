namespace Outgate.Policy;

/// <summary>Writes a rule back as the ufw command that creates it (ufw's own <c>get_command</c> shape).</summary>
internal static class UfwRuleFormatter
{
    public static string ToCommand(Rule rule)
    {
        var tokens = ToTokens(rule);
        return string.Join(' ', tokens.Select((t, i) => i > 0 && tokens[i - 1] == "comment" && i == tokens.Count - 1 ? $"'{t}'" : t));
    }

    public static IReadOnlyList<string> ToTokens(Rule rule)
    {
        var tokens = new List<string>();
        if (rule.Direction == Direction.Forward)
        {
            tokens.Add("route");
        }

        tokens.Add(ActionName(rule.Action));
        var shortForm = rule.Direction != Direction.Forward && rule.From is null && rule.To is null && rule.FromPort is null &&
            rule.Interface is null && rule.ToPort is not null;
        if (shortForm)
        {
            if (rule.Direction == Direction.Out)
            {
                tokens.Add("out");
            }

            AddLog(rule, tokens);
            tokens.Add(rule.Protocol == Protocol.Any ? rule.ToPort!.ToString() : $"{rule.ToPort}/{RuleValidator.ProtocolName(rule.Protocol)}");
        }
        else
        {
            if (rule.Interface is { } iface)
            {
                tokens.Add(rule.Direction == Direction.Out ? "out" : "in");
                tokens.Add("on");
                tokens.Add(iface);
            }
            else if (rule.Direction == Direction.Out)
            {
                tokens.Add("out");
            }

            AddLog(rule, tokens);
            var any = true;
            if (rule.From is not null || rule.FromPort is not null)
            {
                tokens.AddRange(["from", AddressSyntax.Format(rule.From)]);
                any = false;
                if (rule.FromPort is { } fromPort)
                {
                    tokens.AddRange(["port", fromPort.ToString()]);
                }
            }

            if (rule.To is not null || rule.ToPort is not null || (any && rule.Interface is null))
            {
                tokens.AddRange(["to", AddressSyntax.Format(rule.To)]);
                if (rule.ToPort is { } toPort)
                {
                    tokens.AddRange(["port", toPort.ToString()]);
                }
            }

            if (rule.Protocol != Protocol.Any)
            {
                tokens.AddRange(["proto", RuleValidator.ProtocolName(rule.Protocol)]);
            }
        }

        if (rule.Comment is { } comment)
        {
            tokens.AddRange(["comment", comment]);
        }

        return tokens;
    }

    public static string ActionName(RuleAction action) => action switch
    {
        RuleAction.Allow => "allow",
        RuleAction.Deny => "deny",
        RuleAction.Reject => "reject",
        RuleAction.Limit => "limit",
        _ => PolicyThrow.Unreachable<string>(action),
    };

    private static void AddLog(Rule rule, List<string> tokens)
    {
        if (rule.Logging != RuleLogging.None)
        {
            tokens.Add(rule.Logging == RuleLogging.All ? "log-all" : "log");
        }
    }
}
