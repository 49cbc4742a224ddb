using Outgate.Cli.Firewall;
using Outgate.Policy;

namespace Outgate.Cli.Rules;

/// <summary><c>--for DURATION</c>: parsed once per command, then stamped on the rule an add/insert creates.</summary>
public static class RuleLifetimeOption
{
    /// <summary>The lifetime <paramref name="text"/> names, or null when the option was not given.</summary>
    /// <exception cref="FirewallException">Not a lifetime, or <c>once</c> (exit code 1).</exception>
    public static RuleLifetime? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!RuleLifetime.TryParse(text, out var lifetime, out var error))
        {
            throw new FirewallException(ExitCodes.BadInput, $"ERROR: Bad --for: {error}");
        }

        if (lifetime.Kind == RuleLifetimeKind.Once)
        {
            throw new FirewallException(ExitCodes.BadInput,
                "ERROR: --for once is for answering a prompt about one connection, a rule cannot last for one connection\nHint: give a duration (--for 30m, --for 1h), --for until-reboot, or leave --for out for a permanent rule");
        }

        return lifetime;
    }

    /// <summary>
    /// <paramref name="command"/> with the lifetime set on the rule it adds: <c>Expires</c> = now + duration (whole seconds,
    /// as the policy file stores it), or <c>BootId</c> for until-reboot. Other commands refuse <c>--for</c>.
    /// </summary>
    public static UfwCommand Apply(UfwCommand command, RuleLifetime? lifetime, DateTimeOffset now, Func<string?> readBootId)
    {
        if (lifetime is not { } value || value.Kind == RuleLifetimeKind.Always)
        {
            return command;
        }

        return command switch
        {
            AddRuleCommand add => add with { Rule = Stamp(add.Rule, value, now, readBootId) },
            InsertRuleCommand insert => insert with { Rule = Stamp(insert.Rule, value, now, readBootId) },
            _ => throw new FirewallException(ExitCodes.BadInput,
                "ERROR: --for only applies to rules being added (allow, deny, reject, limit, insert)\nHint: to remove a rule early use `outgate delete`"),
        };
    }

    private static Rule Stamp(Rule rule, RuleLifetime lifetime, DateTimeOffset now, Func<string?> readBootId)
    {
        if (lifetime.Kind == RuleLifetimeKind.UntilReboot)
        {
            var bootId = readBootId() ?? throw new FirewallException(ExitCodes.FileError,
                $"ERROR: cannot read {BootIdFile.Path}, so an until-reboot rule could not tell when it ends\nHint: use a duration instead, e.g. --for 12h");
            return rule with { BootId = bootId };
        }

        var expires = lifetime.ExpiresFrom(now)!.Value;
        return rule with { Expires = new DateTimeOffset(expires.UtcTicks - (expires.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero) };
    }
}
