using System.CommandLine;
using System.Globalization;
using Outgate.Cli.Firewall;
using Outgate.Policy;

namespace Outgate.Cli.Rules;

/// <summary>
/// <c>outgate reset</c>: like ufw, disables the firewall and moves every policy file aside to
/// <c>&lt;file&gt;.YYYYMMDD_HHMMSS</c>, leaving the default policy. Asks first on a terminal; with
/// <c>--force</c> or no terminal on stdin it proceeds (unless stdin says no), like <c>ufw --force reset</c>.
/// Works even when the policy files do not parse.
/// </summary>
public static class ResetCommand
{
    public static Command Create()
    {
        var cmd = new Command("reset", "Disable the firewall and reset the policy to the defaults (files are backed up)");
        cmd.SetAction(parse => FirewallCommandContext.Run(parse, Execute));
        return cmd;
    }

    private static int Execute(FirewallCommandContext ctx)
    {
        if (!ctx.Force && !ctx.DryRun && !Proceed(ctx))
        {
            ctx.Out.WriteLine("Aborted");
            return ExitCodes.Ok;
        }
        var suffix = DateTime.Now.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture);
        if (ctx.DryRun)
        {
            ctx.Out.Write(FirewallCommandContext.Compile(FirewallPolicy.Default).Text);
            return ExitCodes.Ok;
        }
        using var stateLock = StateLock.Acquire(ctx.Paths);
        var load = PolicyFileSet.Load(ctx.Paths.ConfigDir);
        var messages = new List<string>();
        if (!load.Succeeded)
        {
            // Broken files cannot be loaded to reset them: move them aside ourselves, then start from nothing.
            foreach (var file in BrokenFiles(ctx.Paths.ConfigDir))
            {
                File.Move(file, $"{file}.{suffix}");
                messages.Add($"Backing up '{Path.GetFileName(file)}' to '{file}.{suffix}'");
            }
            load = PolicyFileSet.FromFiles(ctx.Paths.ConfigDir, []);
            if (!load.Succeeded) throw FirewallCommandContext.BadPolicy(load.Errors);
        }
        var edit = load.FileSet.Reset(suffix);
        if (edit.Outcome == PolicyEditOutcome.Invalid) throw FirewallCommandContext.BadPolicy(edit.Errors);
        var wasEnabled = FirewallState.IsEnabled(ctx.Paths);
        DateTimeOffset? deadline = null;
        if (Environment.IsPrivilegedProcess || wasEnabled)
        {
            deadline = KernelChange.Apply(ctx, null, () =>
            {
                edit.Commit();
                FirewallState.SetEnabled(ctx.Paths, false);
            });
            if (BootUnit.TryDisable(ctx.Paths) is { } warning) ctx.Error.WriteLine(warning);
        }
        else
        {
            edit.Commit();
            FirewallState.SetEnabled(ctx.Paths, false);
        }
        foreach (var m in messages) ctx.Out.WriteLine(m);
        if (edit.Message.Length > 0) ctx.Out.WriteLine(edit.Message);
        KernelChange.ReportPending(ctx, deadline);
        return ExitCodes.Ok;
    }

    private static bool Proceed(FirewallCommandContext ctx)
    {
        const string question = "Resetting all rules to installed defaults. Proceed with operation (y|n)? ";
        if (!Console.IsInputRedirected)
        {
            ctx.Out.Write(question);
            return IsYes(Console.ReadLine());
        }
        // Not a terminal: a script. Proceed unless it pipes a "no" (read briefly, never hang on an open pipe).
        var read = Task.Run(Console.In.ReadLine);
        if (!read.Wait(TimeSpan.FromMilliseconds(500)) || read.Result is null) return true;
        var answer = read.Result.Trim();
        return answer.Length == 0 || IsYes(answer);
    }

    private static bool IsYes(string? answer) =>
        answer?.Trim().ToLowerInvariant() is "y" or "yes";

    private static IEnumerable<string> BrokenFiles(string configDir)
    {
        var main = Path.Combine(configDir, PolicyFileSet.MainFileName);
        if (File.Exists(main)) yield return main;
        var dropIns = Path.Combine(configDir, PolicyFileSet.DropInDirectoryName);
        if (Directory.Exists(dropIns))
            foreach (var f in Directory.EnumerateFiles(dropIns, "*.toml").ToList()) yield return f;
    }
}
