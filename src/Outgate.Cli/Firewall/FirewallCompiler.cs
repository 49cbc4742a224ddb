using Outgate.Policy;

namespace Outgate.Cli.Firewall;

/// <summary>The one place the CLI compiles a policy, so every command (and the rollback watcher) gets the same ruleset and hash.</summary>
public static class FirewallCompiler
{
    /// <summary>The compiler's defaults (table inet outgate, runs of similar rules merged into sets).</summary>
    public static readonly NftCompileOptions Options = new();

    /// <exception cref="FirewallException">A rule does not validate (exit code 1).</exception>
    public static NftRuleset Compile(FirewallPolicy policy)
    {
        try
        {
            return NftRulesetCompiler.Compile(policy, Options);
        }
        catch (InvalidRuleException ex)
        {
            throw new FirewallException(ExitCodes.BadInput, $"outgate: {ex.Message}; nothing was changed");
        }
    }
}
