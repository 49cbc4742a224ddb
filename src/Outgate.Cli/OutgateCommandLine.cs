using System.CommandLine;

namespace Outgate.Cli;

/// <summary>The `outgate` command tree. Each command lives in its own folder and registers here.</summary>
public static class OutgateCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Outgate: outgoing-traffic firewall and connection monitor");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(Connections.ConnectionsCommand.Create());
        Rules.RuleOptions.AddTo(root);
        root.Subcommands.Add(Rules.EnableCommand.Create());
        root.Subcommands.Add(Rules.DisableCommand.Create());
        root.Subcommands.Add(Rules.ReloadCommand.Create());
        root.Subcommands.Add(Rules.ResetCommand.Create());
        root.Subcommands.Add(Rules.StatusCommand.Create());
        root.Subcommands.Add(Rules.PolicyEditCommands.Default());
        root.Subcommands.Add(Rules.PolicyEditCommands.Allow());
        root.Subcommands.Add(Rules.PolicyEditCommands.Deny());
        root.Subcommands.Add(Rules.PolicyEditCommands.Reject());
        root.Subcommands.Add(Rules.PolicyEditCommands.Limit());
        root.Subcommands.Add(Rules.PolicyEditCommands.Route());
        root.Subcommands.Add(Rules.PolicyEditCommands.Insert());
        root.Subcommands.Add(Rules.PolicyEditCommands.Delete());
        root.Subcommands.Add(Rules.PolicyEditCommands.Logging());
        root.Subcommands.Add(Rules.PolicyEditCommands.DnsRequired());
        root.Subcommands.Add(Rules.PolicyEditCommands.BlockDoh());
        root.Subcommands.Add(Rules.PanicCommand.Create());
        root.Subcommands.Add(Rules.ConfirmCommand.Create());
        root.Subcommands.Add(Rules.RollbackWatchCommand.Create());
        root.Subcommands.Add(Daemon.ModeCommand.Create());
        root.Subcommands.Add(Daemon.LogCommand.Create());
        root.Subcommands.Add(Alerts.AlertsCommand.Create());
        root.Subcommands.Add(Daemon.PromptsCommand.Create());
        root.Subcommands.Add(Daemon.AnswerCommand.Create());
        root.Subcommands.Add(Daemon.ExplainCommand.Create());
        root.Subcommands.Add(Daemon.DaemonCommand.Create());
        root.Subcommands.Add(Top.TopCommand.Create());
        root.Subcommands.Add(PolicyTools.PolicyCommand.Create());
        root.Subcommands.Add(Bundles.ExportCommand.Create());
        root.Subcommands.Add(Bundles.ApplyCommand.Create());
        root.Subcommands.Add(Bundles.EnforceCommand.Create());
        root.Subcommands.Add(Bundles.ModeRollbackWatchCommand.Create());
        root.Subcommands.Add(Import.ImportCommand.Create());
        root.Subcommands.Add(Dashboard.DashboardCommand.Create());
        root.Subcommands.Add(Fleet.FleetCommand.Create());
        return root;
    }
}
