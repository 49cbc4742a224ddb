namespace Outgate.Policy;

/// <summary>ufw's policy-changing verbs around <see cref="UfwRuleParser"/>: insert, delete, default, logging, route.</summary>
internal static class UfwCommandParser
{
    private static readonly string[] Verbs = ["allow", "deny", "reject", "limit", "route", "insert", "delete", "default", "logging", "dns-required", "block-doh"];

    public static UfwParseResult<UfwCommand> Parse(IReadOnlyList<string> tokens)
    {
        if (tokens.Count == 0)
        {
            return Fail(new UfwError("Missing command", $"use one of {string.Join(", ", Verbs)}"));
        }

        var verb = tokens[0].ToLowerInvariant();
        switch (verb)
        {
            case "allow" or "deny" or "reject" or "limit" or "route":
                return FromRule(UfwRuleParser.Parse(tokens, 0), rule => new AddRuleCommand(rule));
            case "insert":
                return ParseInsert(tokens);
            case "delete":
                return ParseDelete(tokens);
            case "default":
                return ParseDefault(tokens);
            case "logging":
                return ParseLogging(tokens);
            case "dns-required" or "block-doh":
                return ParseSwitch(tokens, verb);
            default:
                return Fail(new UfwError($"Invalid command '{Quote.Escape(tokens[0])}'", Suggestion.Hint(tokens[0], Verbs) ?? $"use one of {string.Join(", ", Verbs)}", tokens[0], 0));
        }
    }

    private static UfwParseResult<UfwCommand> ParseInsert(IReadOnlyList<string> tokens)
    {
        if (tokens.Count < 3)
        {
            return Fail(new UfwError("Usage: insert NUM RULE", "e.g. 'insert 1 deny out to 10.0.0.0/8'", null, tokens.Count));
        }

        if (!TryParsePosition(tokens[1], out var position))
        {
            return Fail(new UfwError($"Cannot insert rule at position '{Quote.Escape(tokens[1])}'", "positions start at 1, as shown by 'status numbered'", tokens[1], 1));
        }

        return FromRule(UfwRuleParser.Parse(tokens, 2), rule => new InsertRuleCommand(position, rule));
    }

    private static UfwParseResult<UfwCommand> ParseDelete(IReadOnlyList<string> tokens)
    {
        if (tokens.Count < 2)
        {
            return Fail(new UfwError("Usage: delete NUM or delete RULE", "see 'status numbered' for the numbers", null, 1));
        }

        if (tokens[1].Length > 0 && (char.IsAsciiDigit(tokens[1][0]) || tokens[1][0] == '-'))
        {
            if (!TryParsePosition(tokens[1], out var position))
            {
                return Fail(new UfwError($"Invalid rule number '{Quote.Escape(tokens[1])}'", "rule numbers start at 1, as shown by 'status numbered'", tokens[1], 1));
            }

            if (tokens.Count > 2)
            {
                return Fail(new UfwError($"Unexpected token '{Quote.Escape(tokens[2])}' after the rule number", "use 'delete NUM' or 'delete RULE'", tokens[2], 2));
            }

            return new(new DeleteRuleNumberCommand(position), []);
        }

        return FromRule(UfwRuleParser.Parse(tokens, 1), rule => new DeleteRuleCommand(rule));
    }

    private static UfwParseResult<UfwCommand> ParseDefault(IReadOnlyList<string> tokens)
    {
        var errors = new List<UfwError>();
        if (tokens.Count < 2)
        {
            return Fail(new UfwError("Usage: default allow|deny|reject [incoming|outgoing|routed]", null, null, 1));
        }

        DefaultPolicy? policy = tokens[1].ToLowerInvariant() switch
        {
            "allow" => DefaultPolicy.Allow,
            "deny" => DefaultPolicy.Deny,
            "reject" => DefaultPolicy.Reject,
            _ => null,
        };
        if (policy is null)
        {
            errors.Add(new($"Invalid policy '{Quote.Escape(tokens[1])}'", Suggestion.Hint(tokens[1], ["allow", "deny", "reject"]) ?? "use allow, deny or reject", tokens[1], 1));
        }

        var direction = Direction.In;
        if (tokens.Count > 2)
        {
            Direction? parsed = tokens[2].ToLowerInvariant() switch
            {
                "incoming" or "input" => Direction.In,
                "outgoing" or "output" => Direction.Out,
                "routed" or "forward" => Direction.Forward,
                _ => null,
            };
            if (parsed is null)
            {
                errors.Add(new($"Invalid direction '{Quote.Escape(tokens[2])}'", Suggestion.Hint(tokens[2], ["incoming", "outgoing", "routed", "forward"]) ?? "use incoming, outgoing or routed", tokens[2], 2));
            }
            else
            {
                direction = parsed.Value;
            }
        }

        if (tokens.Count > 3)
        {
            errors.Add(new($"Unexpected token '{Quote.Escape(tokens[3])}'", "usage: default allow|deny|reject [incoming|outgoing|routed]", tokens[3], 3));
        }

        return errors.Count > 0 ? new(null, errors) : new(new SetDefaultCommand(direction, policy!.Value), []);
    }

    private static UfwParseResult<UfwCommand> ParseLogging(IReadOnlyList<string> tokens)
    {
        string[] levels = ["off", "on", "low", "medium", "high", "full"];
        if (tokens.Count < 2)
        {
            return Fail(new UfwError("Usage: logging off|on|low|medium|high|full", null, null, 1));
        }

        LogLevel? level = tokens[1].ToLowerInvariant() switch
        {
            "off" => LogLevel.Off,
            "on" or "low" => LogLevel.Low,
            "medium" => LogLevel.Medium,
            "high" => LogLevel.High,
            "full" => LogLevel.Full,
            _ => null,
        };
        if (level is null)
        {
            return Fail(new UfwError($"Invalid logging level '{Quote.Escape(tokens[1])}'", Suggestion.Hint(tokens[1], levels) ?? "use off, on, low, medium, high or full", tokens[1], 1));
        }

        if (tokens.Count > 2)
        {
            return Fail(new UfwError($"Unexpected token '{Quote.Escape(tokens[2])}'", "usage: logging off|on|low|medium|high|full", tokens[2], 2));
        }

        return new(new SetLoggingCommand(level.Value), []);
    }

    /// <summary><c>dns-required on|off</c>, <c>block-doh on|off</c> (also yes/no, true/false, enable/disable).</summary>
    private static UfwParseResult<UfwCommand> ParseSwitch(IReadOnlyList<string> tokens, string verb)
    {
        var usage = $"usage: {verb} on|off";
        if (tokens.Count < 2)
        {
            return Fail(new UfwError($"Usage: {verb} on|off", verb == "dns-required"
                ? "on: new connections only to addresses DNS answered for; off: any address"
                : "on: refuse DoH/DoT to well-known public resolvers; off: allow them", null, 1));
        }

        bool? on = tokens[1].ToLowerInvariant() switch
        {
            "on" or "yes" or "true" or "enable" => true,
            "off" or "no" or "false" or "disable" => false,
            _ => null,
        };
        if (on is null)
        {
            return Fail(new UfwError($"Invalid value '{Quote.Escape(tokens[1])}' for {verb}", Suggestion.Hint(tokens[1], ["on", "off"]) ?? usage, tokens[1], 1));
        }

        if (tokens.Count > 2)
        {
            return Fail(new UfwError($"Unexpected token '{Quote.Escape(tokens[2])}'", usage, tokens[2], 2));
        }

        return new(verb == "dns-required" ? new SetDnsRequiredCommand(on.Value) : new SetBlockDohCommand(on.Value), []);
    }

    private static bool TryParsePosition(string text, out int position)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out position) && position >= 1;

    private static UfwParseResult<UfwCommand> FromRule(UfwParseResult<Rule> result, Func<Rule, UfwCommand> command)
        => result.Succeeded ? new(command(result.Value), []) : new(null, result.Errors);

    private static UfwParseResult<UfwCommand> Fail(UfwError error) => new(null, [error]);
}
