using System.CommandLine;
using Outgate.Cli.Firewall;

namespace Outgate.Cli.Rules;

/// <summary>Hidden <c>__rollback-watch TOKEN</c>: the detached process started by --confirm-within (see <see cref="RollbackGuard"/>).</summary>
public static class RollbackWatchCommand
{
    public static Command Create()
    {
        var token = new Argument<string>("token");
        var cmd = new Command("__rollback-watch", "internal: restores the previous ruleset unless confirmed in time") { token };
        cmd.Hidden = true;
        cmd.SetAction(parse => FirewallCommandContext.Run(parse, ctx => new RollbackGuard(ctx.Paths).Watch(parse.GetValue(token)!, ctx.Out)));
        return cmd;
    }
}
