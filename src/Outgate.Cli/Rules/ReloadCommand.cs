using System.CommandLine;
using Outgate.Cli.Firewall;

namespace Outgate.Cli.Rules;

/// <summary><c>outgate reload</c>: recompile the policy files and replace the table when enabled.</summary>
public static class ReloadCommand
{
    private static readonly Option<bool> Boot = new("--boot")
    {
        Description = "Used by outgate-rules.service at boot: quiet, and does nothing unless enabled",
    };

    public static Command Create()
    {
        var cmd = new Command("reload", "Reload the policy files into the kernel (when enabled)") { Boot };
        cmd.SetAction(parse => FirewallCommandContext.Run(parse, ctx => Execute(ctx, parse.GetValue(Boot))));
        return cmd;
    }

    private static int Execute(FirewallCommandContext ctx, bool boot)
    {
        using var stateLock = ctx.DryRun ? null : StateLock.Acquire(ctx.Paths);
        var ruleset = FirewallCommandContext.Compile(ctx.LoadPolicy().Policy);
        if (ctx.DryRun)
        {
            ctx.Out.Write(ruleset.Text);
            return ExitCodes.Ok;
        }
        if (!FirewallState.IsEnabled(ctx.Paths))
        {
            if (!boot) ctx.Out.WriteLine("Firewall not enabled (skipping reload)");
            return ExitCodes.Ok;
        }
        var deadline = KernelChange.Apply(ctx, ruleset, () => { });
        if (!boot) ctx.Out.WriteLine("Firewall reloaded");
        KernelChange.ReportPending(ctx, deadline);
        return ExitCodes.Ok;
    }
}
