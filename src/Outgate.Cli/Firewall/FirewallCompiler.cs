using Outgate.Policy;

namespace Outgate.Cli.Firewall;

/// <summary>The one place the CLI compiles a policy, so every command (and the rollback watcher) gets the same ruleset and hash.</summary>
public static class FirewallCompiler
{
    /// <summary>The compiler's defaults (table inet outgate, runs of similar rules merged into sets).</summary>
    public static readonly NftCompileOptions Options = new();

    /// <summary>
    /// Compiles for the kernel as it is now: rules past their <c>--for</c> time or from an earlier boot are left out,
    /// so <c>reload</c> drops them; user/group names are resolved from this machine's account files.
    /// </summary>
    /// <exception cref="FirewallException">A rule does not validate or names an unknown account (exit code 1).</exception>
    public static NftRuleset Compile(FirewallPolicy policy)
    {
        try
        {
            return NftRulesetCompiler.Compile(policy, Options with
            {
                Now = DateTimeOffset.UtcNow,
                CurrentBootId = BootIdFile.TryRead(),
                Accounts = AccountLookup.System(),
            });
        }
        catch (InvalidRuleException ex)
        {
            throw new FirewallException(ExitCodes.BadInput, $"outgate: {ex.Message}; nothing was changed");
        }
    }
}
