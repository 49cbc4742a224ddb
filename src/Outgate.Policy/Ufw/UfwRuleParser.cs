namespace Outgate.Policy;

/// <summary>
/// ufw rule syntax. Short form: <c>ACTION [in|out] [log|log-all] PORT[/PROTO] [comment TEXT]</c>; full form:
/// <c>ACTION [in|out [on IFACE]] [log|log-all] [proto P] [from ADDR [port P]] [to ADDR [port P]] [proto P] [comment TEXT]</c>;
/// <c>route ACTION in on IFACE ...</c> for routed rules. Every error found is reported with the token index.
/// </summary>
internal static class UfwRuleParser
{
    private static readonly string[] Actions = ["allow", "deny", "reject", "limit"];
    private static readonly string[] Keywords = ["proto", "from", "to", "port", "comment", .. SubjectSyntax.Keywords];

    public static UfwParseResult<Rule> Parse(IReadOnlyList<string> tokens, int start)
    {
        var errors = new List<UfwError>();
        var rule = ParseCore(tokens, start, errors);
        return errors.Count == 0 && rule is not null ? new(rule, []) : new(null, errors);
    }

    private static Rule? ParseCore(IReadOnlyList<string> tokens, int start, List<UfwError> errors)
    {
        var i = start;
        var forward = false;
        if (i < tokens.Count && Is(tokens[i], "route"))
        {
            forward = true;
            i++;
        }

        if (i >= tokens.Count)
        {
            errors.Add(new("Missing action", "use allow, deny, reject or limit"));
            return null;
        }

        if (!TryParseAction(tokens[i], out var action))
        {
            errors.Add(new($"Invalid action '{Quote.Escape(tokens[i])}'", Suggestion.Hint(tokens[i], Actions) ?? "use allow, deny, reject or limit", tokens[i], i));
            return null;
        }

        var actionIndex = i++;
        if (i >= tokens.Count)
        {
            errors.Add(new($"Missing rule after '{tokens[actionIndex]}'", "e.g. 'allow 22/tcp', 'allow out 443/tcp' or 'allow out to any port 53'"));
            return null;
        }

        var direction = forward ? Direction.Forward : Direction.In;
        string? iface = null;
        // ufw requires 'in on IFACE' / 'out on IFACE'; a bare 'on IFACE' (as the grammar allows) means in, ufw's default.
        var bareOn = Is(tokens[i], "on") && !forward;
        if (Is(tokens[i], "in") || Is(tokens[i], "out") || bareOn)
        {
            var isOut = Is(tokens[i], "out");
            var directionIndex = bareOn ? i - 1 : i++;
            if (i < tokens.Count && Is(tokens[i], "on"))
            {
                iface = ReadInterface(tokens, ref i, errors);

                if (forward && isOut)
                {
                    errors.Add(new("'route ... out on IFACE' is not supported yet", "match routed traffic by its input interface: 'route allow in on IFACE ...'", tokens[directionIndex], directionIndex));
                }
            }
            else if (forward)
            {
                errors.Add(new("Invalid interface clause for route rule", "route rules take 'in on IFACE', e.g. 'route allow in on eth1 to any port 80 proto tcp'", tokens[directionIndex], directionIndex));
            }

            if (!forward)
            {
                direction = isOut ? Direction.Out : Direction.In;
            }
        }
        else if (Is(tokens[i], "on"))
        {
            errors.Add(new("Invalid interface clause for route rule", "route rules take 'in on IFACE', e.g. 'route allow in on eth1 to any port 80 proto tcp'", tokens[i], i));
            i += 2;
        }

        // Program subjects come right after the direction; 'on IFACE' may come before or after them.
        RuleSubject? subject = null;
        var interfaceAllowed = iface is null && !forward && i > actionIndex + 1;
        while (i < tokens.Count)
        {
            if (SubjectSyntax.TryParseKeyword(tokens[i], out var field))
            {
                subject = ReadSubject(tokens, ref i, field, subject, errors);
            }
            else if (subject is not null && interfaceAllowed && iface is null && Is(tokens[i], "on"))
            {
                iface = ReadInterface(tokens, ref i, errors);
            }
            else
            {
                break;
            }
        }

        if (subject is not null && direction != Direction.Out)
        {
            var verb = UfwRuleFormatter.ActionName(action);
            errors.Add(new($"Program subjects ({SubjectSyntax.Describe(subject)}) apply to outgoing rules only",
                $"write '{verb} out {SubjectSyntax.Describe(subject)} ...'; Outgate judges programs on new outgoing connections", tokens[actionIndex], actionIndex));
        }

        var logging = RuleLogging.None;
        if (i < tokens.Count && (Is(tokens[i], "log") || Is(tokens[i], "log-all")))
        {
            logging = Is(tokens[i], "log") ? RuleLogging.New : RuleLogging.All;
            i++;
        }

        // The rest as (token, index), with the comment clause taken out (ufw allows it anywhere after the action).
        var rest = new List<(string Text, int Index)>();
        string? comment = null;
        for (var j = i; j < tokens.Count; j++)
        {
            if (Is(tokens[j], "comment"))
            {
                if (j + 1 >= tokens.Count)
                {
                    errors.Add(new("Option 'comment' missing required argument", "e.g. comment 'VPN DNS'", tokens[j], j));
                }
                else if (comment is not null)
                {
                    errors.Add(new("Option 'comment' given twice", null, tokens[j], j));
                    j++;
                }
                else
                {
                    comment = tokens[++j];
                    if (RuleValidator.CommentProblem(comment) is { } problem)
                    {
                        errors.Add(new(problem, null, comment, j));
                    }
                }

                continue;
            }

            if (Is(tokens[j], "log") || Is(tokens[j], "log-all"))
            {
                errors.Add(new($"Option '{tokens[j].ToLowerInvariant()}' not allowed here", "put it right after the direction and interface, e.g. 'allow out log to any port 53'", tokens[j], j));
                continue;
            }

            rest.Add((tokens[j], j));
        }

        var protocol = Protocol.Any;
        (IPNetwork? Net, bool Given) from = (null, false), to = (null, false);
        PortSpec? fromPort = null, toPort = null;
        DomainPattern? toDomain = null;
        string? toList = null;
        Protocol? fromServiceProtocol = null, toServiceProtocol = null;
        var protocolGiven = false;

        if (rest.Count == 0)
        {
            if (iface is null && subject is null)
            {
                errors.Add(new("Need 'to' or 'from' clause", "e.g. 'allow out to any port 443 proto tcp' or 'allow from 10.0.0.0/8'", null, tokens.Count));
            }
        }
        else if (rest.Count == 1 && iface is null && !IsKeyword(rest[0].Text))
        {
            ParseShortForm(rest[0], errors, out toPort, out protocol, out toServiceProtocol);
            protocolGiven = protocol != Protocol.Any;
        }
        else
        {
            string? location = null;
            for (var j = 0; j < rest.Count; j += 2)
            {
                var (keyword, index) = rest[j];
                var lower = keyword.ToLowerInvariant();
                if (lower != "app" && SubjectSyntax.TryParseKeyword(keyword, out _))
                {
                    errors.Add(new($"'{lower}' must come right after the direction", $"e.g. '{UfwRuleFormatter.ActionName(action)} out {lower} VALUE to any port 443'", keyword, index));
                    continue;
                }

                if (lower is not ("proto" or "from" or "to" or "port" or "app"))
                {
                    errors.Add(UnexpectedToken(keyword, index, iface is not null && rest.Count == 1));
                    j--; // resynchronise on the next token
                    continue;
                }

                if (j + 1 >= rest.Count)
                {
                    errors.Add(new($"Option '{lower}' missing required argument", MissingHint(lower), keyword, index));
                    break;
                }

                var (value, valueIndex) = rest[j + 1];
                switch (lower)
                {
                    case "proto":
                        if (protocolGiven)
                        {
                            errors.Add(new("Improper rule syntax: 'proto' given twice", null, keyword, index));
                        }
                        else if (RuleValidator.TryParseProtocol(value, out protocol))
                        {
                            protocolGiven = true;
                        }
                        else
                        {
                            errors.Add(new($"Unsupported protocol '{Quote.Escape(value)}'", Suggestion.Hint(value, ["tcp", "udp", "ah", "esp", "gre", "ipv6", "igmp", "any"]) ?? $"use {RuleValidator.ProtocolList}", value, valueIndex));
                        }

                        break;
                    case "to" when value.ToLowerInvariant() is "domain" or "list":
                        // 'to domain PATTERN' / 'to list PATH': one more token than 'to ADDR'.
                        var kind = value.ToLowerInvariant();
                        location = "to";
                        if (to.Given || toDomain is not null || toList is not null)
                        {
                            errors.Add(new("Improper rule syntax: 'to' given twice", "a rule has one destination: an address, a domain or a list", keyword, index));
                        }

                        if (j + 2 >= rest.Count)
                        {
                            errors.Add(new($"Option 'to {kind}' missing required argument", kind == "domain"
                                ? "e.g. 'to domain updates.example.com' or 'to domain *.mozilla.org'"
                                : "e.g. 'to list /etc/outgate/lists/ads.txt'", value, valueIndex));
                            j = rest.Count;
                            break;
                        }

                        var (argument, argumentIndex) = rest[j + 2];
                        j++;
                        to = (null, true);
                        if (kind == "domain")
                        {
                            if (DomainPattern.TryParse(argument, out var pattern, out var domainError))
                            {
                                toDomain = pattern;
                            }
                            else
                            {
                                errors.Add(new(domainError, "e.g. 'updates.example.com' (that name only) or '*.mozilla.org' (every name below mozilla.org)", argument, argumentIndex));
                            }
                        }
                        else if (RuleValidator.ListPathProblem(argument) is { } listProblem)
                        {
                            errors.Add(new(listProblem, "domain lists (hosts, plain or ||adblock^ lines) and IP/CIDR lists are both accepted", argument, argumentIndex));
                        }
                        else
                        {
                            toList = argument;
                        }

                        break;
                    case "from" or "to":
                        ref var target = ref lower == "from" ? ref from : ref to;
                        if (target.Given || (lower == "to" && (toDomain is not null || toList is not null)))
                        {
                            errors.Add(new($"Improper rule syntax: '{lower}' given twice", null, keyword, index));
                        }
                        else if (AddressSyntax.TryParse(value, out var network, out var error))
                        {
                            target = (network, true);
                        }
                        else
                        {
                            errors.Add(new(error, "e.g. 'any', '10.0.0.1', '192.168.0.0/16' or '2001:db8::/32'", value, valueIndex));
                            target = (null, true);
                        }

                        location = lower;
                        break;
                    case "port":
                        if (location is null)
                        {
                            errors.Add(new("Need 'from' or 'to' with 'port'", $"e.g. 'to any port {Quote.Escape(value)}'", keyword, index));
                            break;
                        }

                        if ((location == "from" ? fromPort : toPort) is not null)
                        {
                            errors.Add(new($"Improper rule syntax: two ports for '{location}'", "list ports with commas: 'port 80,443'", keyword, index));
                            break;
                        }

                        if (TryParsePortOrService(value, valueIndex, errors, out var spec, out var serviceProtocol, full: true))
                        {
                            if (location == "from")
                            {
                                (fromPort, fromServiceProtocol) = (spec, serviceProtocol);
                            }
                            else
                            {
                                (toPort, toServiceProtocol) = (spec, serviceProtocol);
                            }
                        }

                        break;
                    default:
                        errors.Add(new("Application profiles ('app' after to/from) are not supported",
                            direction == Direction.Out
                                ? $"to match a program put it right after 'out': '{UfwRuleFormatter.ActionName(action)} out app {Quote.Escape(value)} to any port 443'"
                                : "name the port and protocol instead: 'to any port 22 proto tcp'", keyword, index));
                        break;
                }
            }

            if (!from.Given && !to.Given && iface is null && subject is null && errors.Count == 0)
            {
                errors.Add(new("Need 'to' or 'from' clause", "e.g. 'allow out to any port 443 proto tcp'", rest[0].Text, rest[0].Index));
            }
        }

        // A service name fixes the protocol unless one was given explicitly (and then they must agree), like ufw.
        foreach (var serviceProtocol in new[] { toServiceProtocol, fromServiceProtocol })
        {
            if (serviceProtocol is not { } sp || sp == Protocol.Any)
            {
                continue;
            }

            if (!protocolGiven)
            {
                protocol = sp;
                protocolGiven = true;
            }
            else if (protocol != sp && protocol != Protocol.Any)
            {
                errors.Add(new($"Protocol mismatch with specified protocol {RuleValidator.ProtocolName(protocol)}", $"the service is {RuleValidator.ProtocolName(sp)} only"));
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var rule = new Rule
        {
            Action = action,
            Direction = direction,
            Interface = iface,
            Logging = logging,
            Protocol = protocol,
            From = from.Net,
            FromPort = fromPort,
            To = to.Net,
            ToDomain = toDomain,
            ToList = toList,
            ToPort = toPort,
            Subject = subject,
            Comment = comment,
        };
        foreach (var problem in rule.Validate())
        {
            errors.Add(new(problem, HintFor(problem)));
        }

        return rule;
    }

    private static string? ReadInterface(IReadOnlyList<string> tokens, ref int i, List<UfwError> errors)
    {
        i++; // 'on'
        if (i >= tokens.Count)
        {
            errors.Add(new("Missing interface name after 'on'", "e.g. 'allow out on tun0 to any port 53'", null, i));
            return null;
        }

        var iface = tokens[i];
        if (RuleValidator.InterfaceProblem(iface) is { } problem)
        {
            errors.Add(new(problem, "interface names are at most 15 characters, without '/' or spaces; 'eth+' matches every eth interface", iface, i));
        }

        i++;
        return iface;
    }

    private static RuleSubject ReadSubject(IReadOnlyList<string> tokens, ref int i, SubjectField field, RuleSubject? subject, List<UfwError> errors)
    {
        var keywordIndex = i++;
        var keyword = SubjectSyntax.Keyword(field);
        subject ??= new RuleSubject();
        if (i >= tokens.Count)
        {
            errors.Add(new($"Option '{keyword}' missing required argument", SubjectSyntax.Problem(field, "")!.Value.Hint, tokens[keywordIndex], keywordIndex));
            return subject;
        }

        var value = tokens[i++];
        if (SubjectSyntax.Get(subject, field) is not null)
        {
            errors.Add(new($"Improper rule syntax: '{keyword}' given twice", "a rule names one value per subject field; write two rules for two programs", tokens[keywordIndex], keywordIndex));
            return subject;
        }

        if (SubjectSyntax.Problem(field, value) is { } problem)
        {
            errors.Add(new(problem.Message, problem.Hint, value, i - 1));
            return subject;
        }

        return SubjectSyntax.With(subject, field, value);
    }

    private static void ParseShortForm((string Text, int Index) token, List<UfwError> errors, out PortSpec? port, out Protocol protocol, out Protocol? serviceProtocol)
    {
        port = null;
        protocol = Protocol.Any;
        serviceProtocol = null;
        if (token.Text.Contains('.', StringComparison.Ordinal) || token.Text.Count(c => c == ':') > 1)
        {
            errors.Add(new($"Bad port '{Quote.Escape(token.Text)}'", $"to match an address write 'from {Quote.Escape(token.Text)}' or 'to {Quote.Escape(token.Text)}'", token.Text, token.Index));
            return;
        }

        var parts = token.Text.Split('/');
        if (parts.Length > 2)
        {
            errors.Add(new($"Bad port '{Quote.Escape(token.Text)}'", "write PORT or PORT/PROTO, e.g. 443/tcp", token.Text, token.Index));
            return;
        }

        if (parts.Length == 2 && !RuleValidator.TryParseProtocol(parts[1], out protocol))
        {
            errors.Add(new($"Unsupported protocol '{Quote.Escape(parts[1])}' in '{Quote.Escape(token.Text)}'", $"use {RuleValidator.ProtocolList}", token.Text, token.Index));
            return;
        }

        TryParsePortOrService(parts[0], token.Index, errors, out port, out serviceProtocol, full: false, token.Text);
    }

    private static bool TryParsePortOrService(string text, int index, List<UfwError> errors, out PortSpec? spec, out Protocol? serviceProtocol, bool full, string? wholeToken = null)
    {
        serviceProtocol = null;
        if (text.Length > 0 && char.IsAsciiLetter(text[0]) && !text.Contains(',', StringComparison.Ordinal) && !text.Contains(':', StringComparison.Ordinal))
        {
            if (ServiceNames.TryResolve(text, out var port, out var protocol))
            {
                spec = PortSpec.Single(port);
                serviceProtocol = protocol;
                return true;
            }

            spec = null;
            errors.Add(new($"Bad port '{Quote.Escape(text)}': unknown service name", "use a port number 1-65535 (application profiles are not supported)", wholeToken ?? text, index));
            return false;
        }

        if (PortSpec.TryParse(text, out spec, out var error))
        {
            return true;
        }

        var hint = full && text.Contains('/', StringComparison.Ordinal)
            ? $"give the protocol separately: 'port {Quote.Escape(text.Split('/')[0])} proto {Quote.Escape(text.Split('/')[^1])}'"
            : "ports are 1-65535; a range is 1000:2000, a list 80,443 (at most 15 entries)";
        errors.Add(new(error, hint, wholeToken ?? text, index));
        return false;
    }

    private static UfwError UnexpectedToken(string token, int index, bool afterInterface)
    {
        if (afterInterface && token.Length > 0 && char.IsAsciiDigit(token[0]))
        {
            var parts = token.Split('/');
            var proto = parts.Length > 1 ? $" proto {Quote.Escape(parts[^1])}" : "";
            return new($"Invalid token '{Quote.Escape(token)}'", $"with an interface use the full form: 'to any port {Quote.Escape(parts[0])}{proto}'", token, index);
        }

        var suggestion = Suggestion.Hint(token, Keywords);
        return new($"Invalid token '{Quote.Escape(token)}'", suggestion ?? "expected proto, from, to, port or comment", token, index);
    }

    private static string MissingHint(string keyword) => keyword switch
    {
        "proto" => $"use {RuleValidator.ProtocolList}",
        "from" or "to" => "give an address: any, 10.0.0.1, 10.0.0.0/8, 2001:db8::/32",
        "port" => "give a port 1-65535, a range 1000:2000 or a list 80,443",
        _ => "name the port and protocol instead",
    };

    private static string? HintFor(string problem) => problem switch
    {
        _ when problem.StartsWith("Must specify", StringComparison.Ordinal) => "add 'proto tcp' or 'proto udp' (short form: 80,443/tcp)",
        _ when problem.StartsWith("Invalid port with protocol", StringComparison.Ordinal) => "drop the port, or use proto tcp or udp",
        _ when problem.StartsWith("'limit' cannot", StringComparison.Ordinal) => "write 'allow out ...' or 'deny out ...' for a program",
        _ when problem.StartsWith("Mixed IP versions", StringComparison.Ordinal) => "use IPv4 addresses on both sides or IPv6 on both sides (or 'any')",
        _ => null,
    };

    private static bool TryParseAction(string token, out RuleAction action)
    {
        action = token.ToLowerInvariant() switch
        {
            "allow" => RuleAction.Allow,
            "deny" => RuleAction.Deny,
            "reject" => RuleAction.Reject,
            "limit" => RuleAction.Limit,
            _ => (RuleAction)(-1),
        };
        return action >= 0;
    }

    private static bool IsKeyword(string token)
        => token.ToLowerInvariant() is "proto" or "from" or "to" or "port" or "app" or "in" or "out" or "on";

    private static bool Is(string token, string keyword) => token.Equals(keyword, StringComparison.OrdinalIgnoreCase);
}
