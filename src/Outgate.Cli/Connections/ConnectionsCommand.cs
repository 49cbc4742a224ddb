using System.CommandLine;

namespace Outgate.Cli.Connections;

public static class ConnectionsCommand
{
    public static Command Create()
    {
        var cmd = new Command("connections", "List sockets with the process, user and unit behind each (netstat/lsof/ss, attributed)");
        cmd.SetAction(_ => 0);
        return cmd;
    }
}
