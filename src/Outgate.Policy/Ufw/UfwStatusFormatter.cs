namespace Outgate.Policy;

/// <summary>Renders <c>status</c>, <c>status numbered</c> and <c>status verbose</c> the way ufw prints them.</summary>
public static class UfwStatusFormatter
{
    /// <summary>
    /// The full status text. <paramref name="active"/> false prints only <c>Status: inactive</c>, like ufw.
    /// Plain and verbose list IPv4 lines then <c>(v6)</c> lines for rules that cover both families, like ufw;
    /// numbered prints one line per rule so the numbers are the ones <c>delete N</c> and <c>insert N</c> take.
    /// </summary>
    public static string Format(FirewallPolicy policy, UfwStatusView view, bool active) => UfwStatusWriter.Write(policy, view, active);

    /// <summary>The <c>To</c>, <c>Action</c> and <c>From</c> columns of one rule, e.g. (<c>443/tcp</c>, <c>ALLOW OUT</c>, <c>Anywhere</c>); <paramref name="v6"/> appends <c>(v6)</c> to any-address columns.</summary>
    public static (string To, string Action, string From) Columns(Rule rule, bool v6) => UfwStatusWriter.Columns(rule, v6);
}
