using System.CommandLine;
using Outgate.Cli.Daemon;
using Outgate.Cli.Firewall;
using Outgate.Cli.Rules;

namespace Outgate.Cli.Bundles;

/// <summary>
/// <c>outgate enforce [--confirm-within 120s]</c>: switches outgated to enforce mode (unknown traffic gets the default
/// action). With <c>--confirm-within</c> the previous mode comes back at the deadline unless <c>outgate confirm</c> runs
/// first (<see cref="ModeRollbackGuard"/>), the way <c>enable --confirm-within</c> protects a ruleset.
/// Exit codes: <see cref="DaemonExitCodes"/>.
/// </summary>
public static class EnforceCommand
{
    public static Command Create()
    {
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("enforce", "Switch outgated to enforce mode; with --confirm-within, switch back unless `outgate confirm` comes in time") { socket };
        cmd.SetAction((parse, ct) =>
        {
            // The firewall context resolves --state-dir/--config-dir and parses --confirm-within exactly as enable does.
            FirewallPaths? paths = null;
            TimeSpan? within = null;
            var exit = FirewallCommandContext.Run(parse, ctx => { (paths, within) = (ctx.Paths, ctx.ConfirmWithin); return ExitCodes.Ok; });
            if (paths is null) return Task.FromResult(exit);
            var socketPath = parse.GetValue(socket)!;
            return DaemonCommandRunner.RunAsync(parse, "enforce", socket, async (client, output, ct) =>
            {
                var guard = new ModeRollbackGuard(paths);
                if (within is not null && guard.IsPending)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync("outgate enforce: an earlier mode change is still waiting for `outgate confirm`; confirm it (or let it roll back) first");
                    return DaemonExitCodes.Usage;
                }
                var change = await client.SetModeAsync("enforce", ct);
                if (!change.Changed)
                {
                    await output.WriteLineAsync("Mode is already enforce.");
                    return DaemonExitCodes.Ok;
                }
                await output.WriteLineAsync($"Mode switched from {change.Previous} to enforce.");
                if (within is { } w)
                {
                    try
                    {
                        var deadline = guard.Arm(w, change.Previous, Path.GetFullPath(socketPath));
                        await output.WriteLineAsync($"Run `outgate confirm` before {deadline:HH:mm:ss} UTC ({w.TotalSeconds:F0}s) or the mode goes back to {change.Previous}.");
                    }
                    catch (FirewallException ex)
                    {
                        // No watcher means no safety net: undo now rather than leave enforce unguarded.
                        await client.SetModeAsync(change.Previous, ct);
                        await parse.InvocationConfiguration.Error.WriteLineAsync($"{ex.Message}; mode switched back to {change.Previous}");
                        return DaemonExitCodes.Daemon;
                    }
                }
                return DaemonExitCodes.Ok;
            }, ct);
        });
        return cmd;
    }
}
