using System.CommandLine;

namespace Outgate.Cli.PolicyTools;

/// <summary>`outgate policy propose` (placeholder until implemented).</summary>
public static class ProposeCommand
{
    public static Command Create()
    {
        var cmd = new Command("propose", "Not implemented yet");
        cmd.SetAction(_ =>
        {
            Console.Error.WriteLine("outgate policy propose: not implemented yet");
            return 2;
        });
        return cmd;
    }
}
