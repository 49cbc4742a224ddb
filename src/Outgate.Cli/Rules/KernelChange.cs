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
    public static void Apply(FirewallCommandContext ctx, NftRuleset? ruleset, Action commitFiles)
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
        if (ctx.ConfirmWithin is { } within)
        {
            var deadline = guard.Arm(within);
            ctx.Out.WriteLine($"Run `outgate confirm` before {deadline:HH:mm:ss} UTC ({within.TotalSeconds:F0}s) or the previous ruleset is restored.");
        }
    }
}
