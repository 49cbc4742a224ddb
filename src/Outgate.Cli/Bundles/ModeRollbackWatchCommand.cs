using System.CommandLine;
using Outgate.Cli.Firewall;
using Outgate.Cli.Rules;

namespace Outgate.Cli.Bundles;

/// <summary>Hidden <c>__mode-rollback-watch TOKEN</c>: the detached process started by <c>enforce --confirm-within</c> (<see cref="ModeRollbackGuard"/>).</summary>
public static class ModeRollbackWatchCommand
{
    public static Command Create()
    {
        var token = new Argument<string>("token");
        var cmd = new Command("__mode-rollback-watch", "internal: switches the daemon back to its previous mode unless confirmed in time") { token };
        cmd.Hidden = true;
        cmd.SetAction(parse =>
        {
            FirewallPaths? paths = null;
            var exit = FirewallCommandContext.Run(parse, ctx => { paths = ctx.Paths; return ExitCodes.Ok; });
            if (paths is null) return exit;
            return new ModeRollbackGuard(paths).WatchAsync(parse.GetValue(token)!, Console.Out, CancellationToken.None).GetAwaiter().GetResult();
        });
        return cmd;
    }
}
