using Outgate.Policy;

namespace Outgate.Cli.Firewall;

/// <summary>The one place the CLI compiles a policy, so every command (and the rollback watcher) gets the same ruleset and hash.</summary>
public static class FirewallCompiler
{
    /// <summary>
    /// Run merging is off for now: policy@addcef5 merges `allow out on og0 to any port 53 proto udp` and
    /// `... port 443 proto tcp` into `oifname "og0" udp dport { 53, 443 }` (tcp 443 lost). Reported; turn back on when fixed.
    /// </summary>
    public static readonly NftCompileOptions Options = new() { MergeIntoSets = false };

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
