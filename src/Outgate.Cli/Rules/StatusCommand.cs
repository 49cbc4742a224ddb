using System.CommandLine;
using Outgate.Cli.Daemon;
using Outgate.Cli.Firewall;
using Outgate.Policy;

namespace Outgate.Cli.Rules;

/// <summary>
/// <c>outgate status [verbose|numbered]</c>: ufw's status text, then what the kernel really has:
/// drift between table inet outgate and the compiled policy, panic mode, a pending confirmation;
/// then, when outgated runs on --socket, its mode, counters and health (<see cref="DaemonStatusSection"/>).
/// </summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var view = new Argument<string[]>("view") { Arity = ArgumentArity.ZeroOrMore, Description = "verbose | numbered", HelpName = "verbose|numbered" };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("status", "Show whether the firewall is active, its defaults and rules, whether the kernel matches the policy, and the daemon's state") { view, socket };
        cmd.SetAction(parse => FirewallCommandContext.Run(parse, ctx =>
        {
            var exit = Execute(ctx, parse.GetValue(view) ?? []);
            AppendDaemon(ctx, parse.GetValue(socket)!);
            return exit;
        }));
        return cmd;
    }

    private static int Execute(FirewallCommandContext ctx, string[] args)
    {
        FirewallCommandContext.CheckTokens("status", args);
        var view = args switch
        {
            [] => UfwStatusView.Plain,
            [var a] when a.Equals("verbose", StringComparison.OrdinalIgnoreCase) => UfwStatusView.Verbose,
            [var a] when a.Equals("numbered", StringComparison.OrdinalIgnoreCase) => UfwStatusView.Numbered,
            _ => throw new FirewallException(ExitCodes.BadInput, $"ERROR: Invalid syntax: status {string.Join(' ', args)}\nHint: `outgate status`, `outgate status verbose` or `outgate status numbered`"),
        };
        var enabled = FirewallState.IsEnabled(ctx.Paths);
        var load = PolicyFileSet.Load(ctx.Paths.ConfigDir);
        if (!load.Succeeded)
        {
            // Still say what runs: the kernel keeps the last ruleset that was applied.
            ctx.Out.WriteLine(enabled ? "Status: active" : "Status: inactive");
            throw new FirewallException(ExitCodes.BadInput,
                $"outgate: the policy files have errors{(enabled ? " (the kernel keeps the last good ruleset)" : "")}:\n{string.Join('\n', load.Errors.Select(e => "  " + e))}");
        }
        var policy = load.FileSet.Policy;
        ctx.Out.Write(EnsureNewline(UfwStatusFormatter.Format(policy, view, enabled, DateTimeOffset.UtcNow, BootIdFile.TryRead())));
        Bundles.AppliedBundleFile.WriteStatus(ctx.Out, ctx.Paths, load.FileSet);

        if (!Environment.IsPrivilegedProcess)
        {
            ctx.Error.WriteLine("note: not root, so the kernel ruleset was not compared with the policy (try sudo)");
            return ExitCodes.Ok;
        }
        using var kernel = KernelFirewall.Open(ctx.Paths);
        var drift = kernel.FindDrift(enabled ? FirewallCommandContext.Compile(policy) : null);
        if (drift is null && enabled && view == UfwStatusView.Verbose)
        {
            ctx.Out.WriteLine();
            ctx.Out.WriteLine("Kernel: table inet outgate is loaded and matches the policy");
        }
        if (drift is not null)
        {
            ctx.Out.WriteLine();
            ctx.Out.WriteLine("Kernel ruleset differs from the policy: run `outgate reload`");
            ctx.Out.WriteLine($"  ({drift})");
        }
        if (kernel.PanicIsOn())
        {
            ctx.Out.WriteLine();
            ctx.Out.WriteLine("Panic mode: on (all traffic except loopback is blocked; `outgate panic off` ends it)");
        }
        if (new RollbackGuard(ctx.Paths).IsPending)
        {
            ctx.Out.WriteLine();
            ctx.Out.WriteLine("A change is waiting for `outgate confirm`; without it the previous ruleset comes back.");
        }
        return ExitCodes.Ok;
    }

    /// <summary>The daemon section, if a daemon was ever started on <paramref name="socket"/>; it never changes the exit code.</summary>
    private static void AppendDaemon(FirewallCommandContext ctx, string socket)
    {
        // Synchronous on purpose: the firewall commands run synchronously and there is no sync context to deadlock on.
        var section = DaemonStatusSection.ReadAsync(socket, CancellationToken.None).GetAwaiter().GetResult();
        if (section.Length == 0) return;
        ctx.Out.WriteLine();
        ctx.Out.Write(section);
    }

    private static string EnsureNewline(string s) => s.EndsWith('\n') ? s : s + "\n";
}
