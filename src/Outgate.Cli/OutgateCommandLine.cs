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
        root.Subcommands.Add(Daemon.ModeCommand.Create());
        root.Subcommands.Add(Daemon.LogCommand.Create());
        return root;
    }
}
