using Tomlyn.Syntax;

namespace Outgate.Policy;

/// <summary>The <c>[[rule]]</c> table part of the reader.</summary>
internal sealed partial class PolicyFileReader
{
    private Rule? ReadRule(TableSyntaxBase table)
    {
        var before = errors.Count;
        RuleAction? action = null;
        var rule = new Rule { Action = RuleAction.Allow };
        foreach (var item in table.Items)
        {
            var key = KeyName(item);
            if (key is null)
            {
                continue;
            }

            switch (key)
            {
                case TomlSchema.Action:
                    if (ReadString(item) is { } actionText)
                    {
                        action = actionText.ToLowerInvariant() switch
                        {
                            "allow" => RuleAction.Allow,
                            "deny" => RuleAction.Deny,
                            "reject" => RuleAction.Reject,
                            "limit" => RuleAction.Limit,
                            _ => null,
                        };
                        if (action is null)
                        {
                            errors.Add(At(item.Value!.Span.Start, $"invalid action '{Quote.Escape(actionText)}'", Suggestion.Hint(actionText, ["allow", "deny", "reject", "limit"]) ?? "use allow, deny, reject or limit"));
                            action = RuleAction.Allow;
                        }
                    }
                    else
                    {
                        action = RuleAction.Allow;
                    }

                    break;
                case TomlSchema.Direction:
                    if (ReadString(item) is { } directionText)
                    {
                        Direction? direction = directionText.ToLowerInvariant() switch
                        {
                            "in" or "incoming" => Direction.In,
                            "out" or "outgoing" => Direction.Out,
                            "forward" or "fwd" or "routed" => Direction.Forward,
                            _ => null,
                        };
                        if (direction is null)
                        {
                            errors.Add(At(item.Value!.Span.Start, $"invalid direction '{Quote.Escape(directionText)}'", Suggestion.Hint(directionText, ["in", "out", "forward"]) ?? "use in, out or forward"));
                        }
                        else
                        {
                            rule = rule with { Direction = direction.Value };
                        }
                    }

                    break;
                case TomlSchema.Interface:
                    if (ReadString(item) is { } iface)
                    {
                        if (RuleValidator.InterfaceProblem(iface) is { } problem)
                        {
                            errors.Add(At(item.Value!.Span.Start, problem, "interface names are at most 15 characters, without '/' or spaces; 'eth+' matches every eth interface"));
                        }
                        else
                        {
                            rule = rule with { Interface = iface };
                        }
                    }

                    break;
                case TomlSchema.Proto:
                    if (ReadString(item) is { } protoText)
                    {
                        if (RuleValidator.TryParseProtocol(protoText, out var protocol))
                        {
                            rule = rule with { Protocol = protocol };
                        }
                        else
                        {
                            errors.Add(At(item.Value!.Span.Start, $"unsupported protocol '{Quote.Escape(protoText)}'", Suggestion.Hint(protoText, ["tcp", "udp", "ah", "esp", "gre", "ipv6", "igmp", "any"]) ?? $"use {RuleValidator.ProtocolList}"));
                        }
                    }

                    break;
                case TomlSchema.From or TomlSchema.To:
                    if (ReadString(item) is { } addressText)
                    {
                        if (AddressSyntax.TryParse(addressText, out var network, out var error))
                        {
                            rule = key == TomlSchema.From ? rule with { From = network } : rule with { To = network };
                        }
                        else
                        {
                            errors.Add(At(item.Value!.Span.Start, error, "e.g. \"any\", \"10.0.0.1\", \"192.168.0.0/16\" or \"2001:db8::/32\""));
                        }
                    }

                    break;
                case TomlSchema.ToDomain:
                    if (ReadString(item) is { } domainText)
                    {
                        if (DomainPattern.TryParse(domainText, out var pattern, out var domainError))
                        {
                            rule = rule with { ToDomain = pattern };
                        }
                        else
                        {
                            errors.Add(At(item.Value!.Span.Start, domainError, "e.g. to_domain = \"updates.example.com\" or \"*.mozilla.org\""));
                        }
                    }

                    break;
                case TomlSchema.ToList:
                    if (ReadString(item) is { } listText)
                    {
                        if (RuleValidator.ListPathProblem(listText) is { } listProblem)
                        {
                            errors.Add(At(item.Value!.Span.Start, listProblem, "e.g. to_list = \"/etc/outgate/lists/ads.txt\""));
                        }
                        else
                        {
                            rule = rule with { ToList = listText };
                        }
                    }

                    break;
                case TomlSchema.FromPort or TomlSchema.ToPort:
                    if (ReadPort(item) is { } ports)
                    {
                        rule = key == TomlSchema.FromPort ? rule with { FromPort = ports } : rule with { ToPort = ports };
                    }

                    break;
                case TomlSchema.Log:
                    if (ReadString(item) is { } logText)
                    {
                        RuleLogging? log = logText.ToLowerInvariant() switch
                        {
                            "off" => RuleLogging.None,
                            "log" or "on" => RuleLogging.New,
                            "log-all" or "all" => RuleLogging.All,
                            _ => null,
                        };
                        if (log is null)
                        {
                            errors.Add(At(item.Value!.Span.Start, $"invalid log setting '{Quote.Escape(logText)}'", "use off, log or log-all"));
                        }
                        else
                        {
                            rule = rule with { Logging = log.Value };
                        }
                    }

                    break;
                case TomlSchema.Comment:
                    if (ReadString(item) is { } comment)
                    {
                        if (RuleValidator.CommentProblem(comment) is { } problem)
                        {
                            errors.Add(At(item.Value!.Span.Start, problem, null));
                        }
                        else
                        {
                            rule = rule with { Comment = comment };
                        }
                    }

                    break;
                case TomlSchema.Expires:
                    if (ReadTimestamp(item) is { } expires)
                    {
                        rule = rule with { Expires = expires };
                    }

                    break;
                case TomlSchema.BootId:
                    if (ReadString(item) is { } bootId)
                    {
                        rule = rule with { BootId = bootId };
                    }

                    break;
                case var _ when TomlSchema.SubjectFieldOf(key) is { } field:
                    if (ReadSubjectValue(item, field) is { } value)
                    {
                        if (SubjectSyntax.Problem(field, value) is { } problem)
                        {
                            errors.Add(At(item.Value!.Span.Start, problem.Message, problem.Hint));
                        }
                        else
                        {
                            rule = rule with { Subject = SubjectSyntax.With(rule.Subject ?? new RuleSubject(), field, value) };
                        }
                    }

                    break;
                default:
                    var alias = TomlSchema.RuleKeyAliases.GetValueOrDefault(key);
                    UnknownKey(item, key, TomlSchema.RuleKeys, alias is null ? $"the keys of [[rule]] are {string.Join(", ", TomlSchema.RuleKeys)}" : $"did you mean '{alias}'?", alias is not null);
                    break;
            }
        }

        if (action is null)
        {
            errors.Add(At(table.Span.Start, "rule has no 'action'", "add action = \"allow\" (or deny, reject, limit)"));
            return null;
        }

        rule = rule with { Action = action.Value };
        foreach (var problem in rule.Validate())
        {
            errors.Add(At(table.Span.Start, problem, problem.StartsWith("Must specify", StringComparison.Ordinal) ? "add proto = \"tcp\" or proto = \"udp\"" : null));
        }

        return errors.Count == before ? rule : null;
    }

    /// <summary>Subject values are strings; user and group also take a bare integer id (<c>user = 1000</c>).</summary>
    private string? ReadSubjectValue(KeyValueSyntax item, SubjectField field)
        => field is SubjectField.User or SubjectField.Group && item.Value is IntegerValueSyntax id
            ? id.Value.ToString(CultureInfo.InvariantCulture)
            : ReadString(item);

    /// <summary>An instant: a TOML offset date-time (<c>expires = 2026-01-02T03:04:05Z</c>) or an RFC 3339 string.</summary>
    private DateTimeOffset? ReadTimestamp(KeyValueSyntax item)
    {
        const string hint = "write an RFC 3339 time with its offset, e.g. expires = 2026-01-02T03:04:05Z";
        switch (item.Value)
        {
            case DateTimeValueSyntax { Value: var value } when value.Kind is Tomlyn.TomlDateTimeKind.OffsetDateTimeByZ or Tomlyn.TomlDateTimeKind.OffsetDateTimeByNumber:
                return value.DateTime;
            case DateTimeValueSyntax:
                errors.Add(At(item.Value.Span.Start, $"'{KeyName(item)}' needs a time zone offset", hint));
                return null;
            case StringValueSyntax text:
                if (RuleTimestamp.TryParse(text.Value ?? "", out var parsed))
                {
                    return parsed;
                }

                errors.Add(At(item.Value.Span.Start, $"'{Quote.Escape(text.Value ?? "")}' is not an RFC 3339 time", hint));
                return null;
            default:
                errors.Add(At(item.Value!.Span.Start, $"'{KeyName(item)}' must be a date-time, not {Describe(item.Value)}", hint));
                return null;
        }
    }

    private PortSpec? ReadPort(KeyValueSyntax item)
    {
        switch (item.Value)
        {
            case IntegerValueSyntax integer:
                if (integer.Value is < PortSyntax.MinPort or > PortSyntax.MaxPort)
                {
                    errors.Add(At(item.Value.Span.Start, $"Bad port '{integer.Value}': ports are 1-65535", null));
                    return null;
                }

                return PortSpec.Single((int)integer.Value);
            case StringValueSyntax text:
                if (PortSpec.TryParse(text.Value ?? "", out var spec, out var error))
                {
                    return spec;
                }

                errors.Add(At(item.Value.Span.Start, error, "a port is 443, a range \"1000:2000\", a list \"80,443\" (at most 15 entries)"));
                return null;
            default:
                errors.Add(At(item.Value!.Span.Start, $"'{KeyName(item)}' must be an integer or a string, not {Describe(item.Value)}", "e.g. to_port = 443 or to_port = \"80,443\""));
                return null;
        }
    }
}
