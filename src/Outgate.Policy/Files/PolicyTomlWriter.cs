namespace Outgate.Policy;

/// <summary>TOML text for new rules, values and a fresh <c>outgate.toml</c>.</summary>
internal static class PolicyTomlWriter
{
    public static string MainFile(FirewallPolicy policy)
    {
        var builder = new StringBuilder();
        builder.Append("# Outgate policy. `outgate allow|deny|delete|insert|default|logging` edit this file;\n")
            .Append("# comments and layout you add are kept. More [[rule]] tables may live in rules.d/*.toml.\n\n")
            .Append("# off, low, medium, high or full\n")
            .Append(CultureInfo.InvariantCulture, $"logging = {Quoted(UfwStatusWriter.LevelName(policy.Logging))}\n\n")
            .Append(DnsSwitchLines(policy))
            .Append("[defaults]\n")
            .Append(CultureInfo.InvariantCulture, $"incoming = {Quoted(UfwStatusWriter.PolicyName(policy.Defaults.Incoming))}\n")
            .Append(CultureInfo.InvariantCulture, $"outgoing = {Quoted(UfwStatusWriter.PolicyName(policy.Defaults.Outgoing))}\n")
            .Append(CultureInfo.InvariantCulture, $"routed = {Quoted(UfwStatusWriter.PolicyName(policy.Defaults.Routed))}\n\n")
            .Append("# When the outgate daemon does not answer for a new connection: drop it (false) or let the rules decide (true)\n")
            .Append("[daemon]\n")
            .Append(CultureInfo.InvariantCulture, $"fail_open = {(policy.FailOpen ? "true" : "false")}\n");
        foreach (var rule in policy.Rules)
        {
            builder.Append('\n').Append(RuleTable(rule));
        }

        return builder.ToString();
    }

    /// <summary>The dns switches that differ from their defaults, as top-level lines (nothing for the default policy).</summary>
    private static string DnsSwitchLines(FirewallPolicy policy)
    {
        var lines = new StringBuilder();
        if (policy.DnsRequired)
        {
            lines.Append(CultureInfo.InvariantCulture, $"{TomlSchema.DnsRequired} = true\n");
        }

        if (policy.BlockDoh)
        {
            lines.Append(CultureInfo.InvariantCulture, $"{TomlSchema.BlockDoh} = true\n");
        }

        if (policy.DnsGrace != FirewallPolicy.DefaultDnsGrace)
        {
            lines.Append(CultureInfo.InvariantCulture, $"{TomlSchema.DnsGrace} = {Quoted(DnsGraceSyntax.Format(policy.DnsGrace))}\n");
        }

        return lines.Length == 0 ? "" : lines.Append('\n').ToString();
    }

    public static string RuleTable(Rule rule)
    {
        var builder = new StringBuilder("[[rule]]\n");
        builder.Append(CultureInfo.InvariantCulture, $"action = {Quoted(UfwRuleFormatter.ActionName(rule.Action))}\n");
        if (rule.Direction != Direction.In)
        {
            builder.Append(CultureInfo.InvariantCulture, $"direction = {Quoted(TomlSchema.DirectionName(rule.Direction))}\n");
        }

        if (rule.Interface is { } iface)
        {
            builder.Append(CultureInfo.InvariantCulture, $"interface = {Quoted(iface)}\n");
        }

        if (rule.Subject is { } subject)
        {
            foreach (var (field, value) in SubjectSyntax.Fields(subject))
            {
                builder.Append(CultureInfo.InvariantCulture, $"{TomlSchema.SubjectKey(field)} = {Quoted(value)}\n");
            }
        }

        if (rule.Protocol != Protocol.Any)
        {
            builder.Append(CultureInfo.InvariantCulture, $"proto = {Quoted(RuleValidator.ProtocolName(rule.Protocol))}\n");
        }

        if (rule.From is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $"from = {Quoted(AddressSyntax.Format(rule.From))}\n");
        }

        if (rule.FromPort is { } fromPort)
        {
            builder.Append(CultureInfo.InvariantCulture, $"from_port = {Port(fromPort)}\n");
        }

        if (rule.To is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $"to = {Quoted(AddressSyntax.Format(rule.To))}\n");
        }

        if (rule.ToDomain is { } domain)
        {
            builder.Append(CultureInfo.InvariantCulture, $"to_domain = {Quoted(domain.ToString())}\n");
        }

        if (rule.ToList is { } list)
        {
            builder.Append(CultureInfo.InvariantCulture, $"to_list = {Quoted(list)}\n");
        }

        if (rule.ToPort is { } toPort)
        {
            builder.Append(CultureInfo.InvariantCulture, $"to_port = {Port(toPort)}\n");
        }

        if (rule.Logging != RuleLogging.None)
        {
            builder.Append(CultureInfo.InvariantCulture, $"log = {Quoted(TomlSchema.LogName(rule.Logging))}\n");
        }

        if (rule.Expires is { } expires)
        {
            builder.Append(CultureInfo.InvariantCulture, $"expires = {RuleTimestamp.Format(expires)}\n");
        }

        if (rule.BootId is { } bootId)
        {
            builder.Append(CultureInfo.InvariantCulture, $"boot_id = {Quoted(bootId)}\n");
        }

        if (rule.Comment is { } comment)
        {
            builder.Append(CultureInfo.InvariantCulture, $"comment = {Quoted(comment)}\n");
        }

        return builder.ToString();
    }

    public static string Quoted(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Port(PortSpec spec) => spec.IsSinglePort ? spec.ToString() : Quoted(spec.ToString());
}
