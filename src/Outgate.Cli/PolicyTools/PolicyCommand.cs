using System.CommandLine;

namespace Outgate.Cli.PolicyTools;

/// <summary>`outgate policy …`: tools that judge a policy against recorded traffic before it is enforced.</summary>
public static class PolicyCommand
{
    public static Command Create()
    {
        var cmd = new Command("policy", "Propose a policy from recorded traffic, simulate a candidate against it, diff two policies");
        cmd.Subcommands.Add(ProposeCommand.Create());
        cmd.Subcommands.Add(SimulateCommand.Create());
        cmd.Subcommands.Add(DiffCommand.Create());
        return cmd;
    }
}
