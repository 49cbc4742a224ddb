using System.CommandLine;
using Outgate.Cli.Firewall;

namespace Outgate.Cli.Rules;

/// <summary><c>outgate confirm</c>: keep a change made with --confirm-within (cancels its automatic rollback).</summary>
public static class ConfirmCommand
{
    public static Command Create()
    {
        var cmd = new Command("confirm", "Keep the change made with --confirm-within (cancel its automatic rollback)");
        cmd.SetAction(parse => FirewallCommandContext.Run(parse, ctx =>
        {
            var ruleset = new RollbackGuard(ctx.Paths).Confirm();
            var mode = new Bundles.ModeRollbackGuard(ctx.Paths).Confirm(); // `outgate enforce --confirm-within`
            if (ruleset) ctx.Out.WriteLine("Change confirmed");
            if (mode) ctx.Out.WriteLine("Mode change confirmed");
            if (ruleset || mode) return ExitCodes.Ok;
            ctx.Error.WriteLine("outgate: nothing is waiting for confirmation (no --confirm-within change pending, or it was already rolled back; see `outgate status`)");
            return ExitCodes.BadInput;
        }));
        return cmd;
    }
}
