using System.CommandLine;

namespace Outgate.Cli.Rules;

/// <summary>Options of the firewall-changing commands; recursive, so <c>outgate --dry-run allow 80</c> works as in ufw.</summary>
public static class RuleOptions
{
    public static readonly Option<bool> DryRun = new("--dry-run")
    {
        Description = "Print the nftables ruleset the change would load; change nothing",
        Recursive = true,
    };

    public static readonly Option<string?> ConfirmWithin = new("--confirm-within")
    {
        Description = "Restore the previous ruleset unless `outgate confirm` comes within this time (e.g. 60s, 5m)",
        HelpName = "time",
        Recursive = true,
    };

    public static readonly Option<bool> Force = new("--force")
    {
        Description = "Do not ask for confirmation (reset)",
        Recursive = true,
    };

    public static readonly Option<string?> For = new("--for")
    {
        Description = "How long an added rule lasts: 30m, 1h, 7d, until-reboot or always (default)",
        HelpName = "duration",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(For);
        root.Options.Add(DryRun);
        root.Options.Add(ConfirmWithin);
        root.Options.Add(Force);
    }
}
