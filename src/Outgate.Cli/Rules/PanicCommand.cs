using System.CommandLine;
using Outgate.Cli.Firewall;

namespace Outgate.Cli.Rules;

/// <summary><c>outgate panic on|off</c>: block everything except loopback at once (table inet outgate_panic), or end it.</summary>
public static class PanicCommand
{
    public static Command Create()
    {
        var mode = new Argument<string>("mode") { Description = "on | off", HelpName = "on|off" };
        var cmd = new Command("panic", "Block all traffic except loopback at once, established connections included (`panic off` ends it)") { mode };
        cmd.SetAction(parse => FirewallCommandContext.Run(parse, ctx => Execute(ctx, parse.GetValue(mode) ?? "")));
        return cmd;
    }

    private static int Execute(FirewallCommandContext ctx, string mode)
    {
        var on = mode.ToLowerInvariant() switch
        {
            "on" => true,
            "off" => false,
            _ => throw new FirewallException(ExitCodes.BadInput, $"ERROR: Invalid panic mode '{mode}'\nHint: `outgate panic on` or `outgate panic off`"),
        };
        if (ctx.DryRun)
        {
            ctx.Out.Write(on ? PanicTable.Text : "delete table inet outgate_panic\n");
            return ExitCodes.Ok;
        }
        using var kernel = KernelFirewall.Open(ctx.Paths);
        kernel.SetPanic(on);
        ctx.Out.WriteLine(on
            ? "Panic mode on: all traffic except loopback is blocked (`outgate panic off` ends it)"
            : "Panic mode off");
        return ExitCodes.Ok;
    }
}
