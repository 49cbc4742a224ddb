namespace Outgate.Policy;

/// <summary>Renders <c>status</c>, <c>status numbered</c> and <c>status verbose</c> the way ufw prints them.</summary>
public static class UfwStatusFormatter
{
    /// <summary>
    /// The full status text. <paramref name="active"/> false prints only <c>Status: inactive</c>, like ufw.
    /// Plain and verbose list IPv4 lines then <c>(v6)</c> lines for rules that cover both families, like ufw;
    /// numbered prints one line per rule so the numbers are the ones <c>delete N</c> and <c>insert N</c> take.
    /// </summary>
    public static string Format(FirewallPolicy policy, UfwStatusView view, bool active) => UfwStatusWriter.Write(policy, view, active, DateTimeOffset.UtcNow, null);

    /// <summary>
    /// As <see cref="Format(FirewallPolicy, UfwStatusView, bool)"/> at <paramref name="now"/>: rules with a subject show it under To
    /// (<c>443/tcp (app /usr/bin/curl)</c>), rules with a lifetime show it under From (<c>Anywhere (for 59m)</c>, <c>(until reboot)</c>,
    /// <c>(expired)</c>; expired rules stay listed so the numbers remain those <c>delete N</c> takes).
    /// </summary>
    public static string Format(FirewallPolicy policy, UfwStatusView view, bool active, DateTimeOffset now, string? currentBootId)
        => UfwStatusWriter.Write(policy, view, active, now, currentBootId);

    /// <summary>The <c>To</c>, <c>Action</c> and <c>From</c> columns of one rule, e.g. (<c>443/tcp</c>, <c>ALLOW OUT</c>, <c>Anywhere</c>); <paramref name="v6"/> appends <c>(v6)</c> to any-address columns.</summary>
    public static (string To, string Action, string From) Columns(Rule rule, bool v6) => UfwStatusWriter.Columns(rule, v6);
}
