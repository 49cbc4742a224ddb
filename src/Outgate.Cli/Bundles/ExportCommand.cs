using System.CommandLine;
using System.Text;
using Outgate.Cli.Firewall;
using Outgate.Cli.Rules;
using Outgate.Policy;

namespace Outgate.Cli.Bundles;

/// <summary>
/// <c>outgate export [--output FILE]</c>: the effective policy (outgate.toml + rules.d, <c>--for</c> rules that lapsed
/// left out) as one bundle (<see cref="PolicyBundle"/>), on stdout by default; the digest goes to stderr.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write the bundle to FILE (atomically) instead of stdout", HelpName = "file" };
        var cmd = new Command("export", "Write the effective policy as one verifiable bundle (TOML text with a SHA-256 digest)") { output };
        cmd.SetAction(parse => FirewallCommandContext.Run(parse, ctx =>
            Execute(ctx, parse.GetValue(output), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error)));
        return cmd;
    }

    private static int Execute(FirewallCommandContext ctx, string? output, TextWriter stdout, TextWriter stderr)
    {
        var set = ctx.LoadPolicy();
        var now = DateTimeOffset.UtcNow;
        var files = BundleExport.Files(set, now, BootIdFile.TryRead(), out var dropped);
        var bundle = PolicyBundle.Create(files, now, Environment.MachineName);
        var text = Encoding.UTF8.GetString(bundle.ToBytes());
        if (output is null or "-") stdout.Write(text);
        else AtomicFile.Write(output, text);
        stderr.WriteLine($"sha256: {bundle.Digest} ({files.Count} file{(files.Count == 1 ? "" : "s")}"
            + (dropped > 0 ? $"; {dropped} expired --for rule{(dropped == 1 ? "" : "s")} left out)" : ")"));
        return ExitCodes.Ok;
    }
}
