using System.CommandLine;

namespace Outgate.Cli.Daemon;

/// <summary>
/// `outgate mode [learn|interactive|enforce|lockdown]`: shows or switches the daemon's mode; the
/// switch is recorded as an event. Exit codes: <see cref="DaemonExitCodes"/>.
/// </summary>
public static class ModeCommand
{
    public const string Modes = "learn, interactive, enforce, lockdown";

    public static Command Create()
    {
        var mode = new Argument<string?>("mode") { Description = "learn (allow and record), interactive (ask), enforce (default action for unknown), lockdown (only pinned rules)", Arity = ArgumentArity.ZeroOrOne };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("mode", "Show or switch outgated's mode: learn, interactive, enforce or lockdown");
        cmd.Arguments.Add(mode);
        cmd.Options.Add(socket);
        cmd.SetAction((parse, ct) =>
        {
            var wanted = parse.GetValue(mode)?.Trim().ToLowerInvariant();
            if (wanted is not null && wanted is not ("learn" or "interactive" or "enforce" or "lockdown"))
                return Task.FromResult(DaemonCommandRunner.Usage(parse, "mode", [$"unknown mode '{Connections.Printable.Escape(wanted)}': use one of {Modes}"]));
            return DaemonCommandRunner.RunAsync(parse, "mode", socket, async (client, output, ct) =>
            {
                if (wanted is null)
                {
                    var status = await client.GetStatusAsync(ct);
                    await output.WriteLineAsync(status.Mode);
                    return DaemonExitCodes.Ok;
                }
                var change = await client.SetModeAsync(wanted, ct);
                await output.WriteLineAsync(change.Changed ? $"Mode switched from {change.Previous} to {change.Mode}." : $"Mode is already {change.Mode}.");
                return DaemonExitCodes.Ok;
            }, ct);
        });
        return cmd;
    }
}
