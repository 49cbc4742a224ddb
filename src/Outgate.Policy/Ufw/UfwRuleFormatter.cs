namespace Outgate.Policy;

/// <summary>Writes a rule back as the ufw command that creates it (ufw's own <c>get_command</c> shape).</summary>
internal static class UfwRuleFormatter
{
    public static string ToCommand(Rule rule)
    {
        var tokens = ToTokens(rule);
        var subjectValues = rule.Subject is null ? 0 : SubjectSyntax.Fields(rule.Subject).Count();
        return string.Join(' ', tokens.Select((t, i) =>
            i > 0 && tokens[i - 1] == "comment" && i == tokens.Count - 1 ? $"'{t}'"
            : subjectValues > 0 && i > 0 && SubjectSyntax.TryParseKeyword(tokens[i - 1], out _) && NeedsShellQuotes(t) ? ShellQuote(t)
            : i > 1 && tokens[i - 2] == "to" && tokens[i - 1] is "domain" or "list" && NeedsShellQuotes(t) ? ShellQuote(t)
            : t));
    }

    /// <summary>Command-line patterns hold spaces and globs: quote them so the printed command can be pasted into a shell.</summary>
    private static bool NeedsShellQuotes(string token) => token.Any(c => char.IsWhiteSpace(c) || c is '*' or '?' or '[' or '\\' or '\'' or '"' or '$' or '`' or '&' or ';' or '|' or '<' or '>' or '(' or ')' or '~' or '#');

    private static string ShellQuote(string token) => "'" + token.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void AddSubject(Rule rule, List<string> tokens)
    {
        if (rule.Subject is { } subject)
        {
            foreach (var (field, value) in SubjectSyntax.Fields(subject))
            {
                tokens.Add(SubjectSyntax.Keyword(field));
                tokens.Add(value);
            }
        }
    }

    public static IReadOnlyList<string> ToTokens(Rule rule)
    {
        var tokens = new List<string>();
        if (rule.Direction == Direction.Forward)
        {
            tokens.Add("route");
        }

        tokens.Add(ActionName(rule.Action));
        var shortForm = rule.Direction != Direction.Forward && rule.From is null && rule.To is null && rule.ToDomain is null && rule.ToList is null && rule.FromPort is null &&
            rule.Interface is null && rule.ToPort is not null && rule.Subject is null; // app rules read better in full: 'app curl to any port 443'
        if (shortForm)
        {
            if (rule.Direction == Direction.Out)
            {
                tokens.Add("out");
            }

            AddSubject(rule, tokens);
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

            AddSubject(rule, tokens);
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

            if (rule.ToDomain is { } domain)
            {
                tokens.AddRange(["to", "domain", domain.ToString()]);
                if (rule.ToPort is { } toPort)
                {
                    tokens.AddRange(["port", toPort.ToString()]);
                }
            }
            else if (rule.ToList is { } list)
            {
                tokens.AddRange(["to", "list", list]);
                if (rule.ToPort is { } toPort)
                {
                    tokens.AddRange(["port", toPort.ToString()]);
                }
            }
            else if (rule.To is not null || rule.ToPort is not null || (any && rule.Interface is null && rule.Subject is null))
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
