using System.CommandLine;

namespace Outgate.Cli.Daemon;

/// <summary>
/// `outgate mode [learn|interactive|enforce|lockdown]`: shows or switches the daemon's mode; the
/// switch is recorded as an event. Exit codes: 0 done, 1 bad mode, 2 daemon unreachable or access denied.
/// </summary>
public static class ModeCommand
{
    public const int ExitOk = 0, ExitUsage = 1, ExitDaemon = 2;
    public const string Modes = "learn, interactive, enforce, lockdown";

    public static Command Create()
    {
        var mode = new Argument<string?>("mode") { Description = "learn (allow and record), interactive (ask), enforce (default action for unknown), lockdown (only pinned rules)", Arity = ArgumentArity.ZeroOrOne };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("mode", "Show or switch outgated's mode: learn, interactive, enforce or lockdown");
        cmd.Arguments.Add(mode);
        cmd.Options.Add(socket);
        cmd.SetAction(async (parse, ct) =>
        {
            var wanted = parse.GetValue(mode)?.Trim().ToLowerInvariant();
            if (wanted is not null && wanted is not ("learn" or "interactive" or "enforce" or "lockdown"))
            {
                Console.Error.WriteLine($"outgate mode: unknown mode '{wanted}': use one of {Modes}");
                return ExitUsage;
            }
            using var client = new DaemonClient(parse.GetValue(socket)!);
            try
            {
                if (wanted is null)
                {
                    var status = await client.GetStatusAsync(ct);
                    Console.WriteLine(status.Mode);
                    return ExitOk;
                }
                var change = await client.SetModeAsync(wanted, ct);
                Console.WriteLine(change.Changed ? $"Mode switched from {change.Previous} to {change.Mode}." : $"Mode is already {change.Mode}.");
                return ExitOk;
            }
            catch (DaemonUnavailableException ex)
            {
                Console.Error.WriteLine("outgate mode: " + ex.Message);
                return ExitDaemon;
            }
            catch (DaemonRequestException ex)
            {
                Console.Error.WriteLine("outgate mode: " + ex.Message + (ex.Hint is null ? "" : $" ({ex.Hint})"));
                return ExitUsage;
            }
        });
        return cmd;
    }
}
