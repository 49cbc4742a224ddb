using System.CommandLine;
using Outgate.Cli.Firewall;

namespace Outgate.Cli.Rules;

/// <summary><c>outgate enable</c>: compile the policy, load it atomically, remember ENABLED=yes, install boot persistence.</summary>
public static class EnableCommand
{
    public static Command Create()
    {
        var cmd = new Command("enable", "Load the firewall now and on every boot (reloads when already enabled)");
        cmd.SetAction(parse => FirewallCommandContext.Run(parse, Execute));
        return cmd;
    }

    private static int Execute(FirewallCommandContext ctx)
    {
        using var stateLock = ctx.DryRun ? null : StateLock.Acquire(ctx.Paths);
        var ruleset = FirewallCommandContext.Compile(ctx.LoadPolicy().Policy);
        if (ctx.DryRun)
        {
            ctx.Out.Write(ruleset.Text);
            return ExitCodes.Ok;
        }
        var deadline = KernelChange.Apply(ctx, ruleset, () => FirewallState.SetEnabled(ctx.Paths, true));
        if (BootUnit.TryEnable(ctx.Paths) is { } warning) ctx.Error.WriteLine(warning);
        ctx.Out.WriteLine("Firewall is active and enabled on system startup");
        KernelChange.ReportPending(ctx, deadline);
        return ExitCodes.Ok;
    }
}
