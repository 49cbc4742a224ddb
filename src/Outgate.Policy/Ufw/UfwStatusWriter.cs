namespace Outgate.Policy;

internal static class UfwStatusWriter
{
    public static string Write(FirewallPolicy policy, UfwStatusView view, bool active) => throw new NotImplementedException();

    public static (string To, string Action, string From) Columns(Rule rule, bool v6) => throw new NotImplementedException();
}
