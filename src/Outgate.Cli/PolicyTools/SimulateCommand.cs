using System.CommandLine;

namespace Outgate.Cli.PolicyTools;

/// <summary>`outgate policy simulate` (placeholder until implemented).</summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var cmd = new Command("simulate", "Not implemented yet");
        cmd.SetAction(_ =>
        {
            Console.Error.WriteLine("outgate policy simulate: not implemented yet");
            return 2;
        });
        return cmd;
    }
}
