using Outgate.Cli.Firewall;
using Outgate.Policy;

namespace Outgate.Cli.Rules;

/// <summary>
/// Applies a compiled ruleset to the kernel with the --confirm-within safety net, then runs the
/// file writes; if the writes fail, the previous table is put back, so kernel and files agree.
/// </summary>
public static class KernelChange
{
    /// <param name="commitFiles">Writes the policy/state files once the kernel took the ruleset (null ruleset = remove the table).</param>
    /// <returns>The rollback deadline when --confirm-within was given; print it with <see cref="ReportPending"/> after the command's own message.</returns>
    public static DateTimeOffset? Apply(FirewallCommandContext ctx, NftRuleset? ruleset, Action commitFiles)
    {
        using var kernel = KernelFirewall.Open(ctx.Paths);
        var guard = new RollbackGuard(ctx.Paths);
        var previous = kernel.Snapshot();
        if (ctx.ConfirmWithin is not null) guard.Prepare(previous, FirewallState.IsEnabled(ctx.Paths));
        try
        {
            if (ruleset is null) kernel.Remove();
            else kernel.Apply(ruleset);
        }
        catch
        {
            if (ctx.ConfirmWithin is not null) guard.Discard();
            throw;
        }
        try
        {
            commitFiles();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            kernel.Restore(previous, null);
            if (ctx.ConfirmWithin is not null) guard.Discard();
            throw;
        }
        if (Environment.GetEnvironmentVariable("OUTGATE_REPORT_APPLY_TIME") == "1")
            ctx.Error.WriteLine($"apply: {kernel.LastApplyTime.TotalMilliseconds:F1} ms");
        return ctx.ConfirmWithin is { } within ? guard.Arm(within) : null;
    }

    public static void ReportPending(FirewallCommandContext ctx, DateTimeOffset? deadline)
    {
        if (deadline is { } d)
            ctx.Out.WriteLine($"Run `outgate confirm` before {d:HH:mm:ss} UTC ({ctx.ConfirmWithin!.Value.TotalSeconds:F0}s) or the previous ruleset is restored.");
    }
}
