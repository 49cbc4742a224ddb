using System.CommandLine;

namespace Outgate.Cli.PolicyTools;

/// <summary>`outgate policy diff` (placeholder until implemented).</summary>
public static class DiffCommand
{
    public static Command Create()
    {
        var cmd = new Command("diff", "Not implemented yet");
        cmd.SetAction(_ =>
        {
            Console.Error.WriteLine("outgate policy diff: not implemented yet");
            return 2;
        });
        return cmd;
    }
}
