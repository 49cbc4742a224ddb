using System.CommandLine;
using Outgate.Cli.Firewall;

namespace Outgate.Cli.Rules;

/// <summary><c>outgate disable</c>: remove table inet outgate (only it) and remember ENABLED=no.</summary>
public static class DisableCommand
{
    public static Command Create()
    {
        var cmd = new Command("disable", "Unload the firewall and do not load it on boot");
        cmd.SetAction(parse => FirewallCommandContext.Run(parse, Execute));
        return cmd;
    }

    private static int Execute(FirewallCommandContext ctx)
    {
        if (ctx.DryRun)
        {
            ctx.Out.WriteLine("delete table inet outgate");
            return ExitCodes.Ok;
        }
        using var stateLock = StateLock.Acquire(ctx.Paths);
        var deadline = KernelChange.Apply(ctx, null, () => FirewallState.SetEnabled(ctx.Paths, false));
        if (BootUnit.TryDisable(ctx.Paths) is { } warning) ctx.Error.WriteLine(warning);
        ctx.Out.WriteLine("Firewall stopped and disabled on system startup");
        KernelChange.ReportPending(ctx, deadline);
        return ExitCodes.Ok;
    }
}
