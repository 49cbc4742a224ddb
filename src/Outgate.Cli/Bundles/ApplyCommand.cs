using System.CommandLine;
using Outgate.Cli.Firewall;
using Outgate.Cli.Rules;
using Outgate.Policy;

namespace Outgate.Cli.Bundles;

/// <summary>
/// <c>outgate apply BUNDLE [--check]</c>: verifies the bundle (header, digest, markers), validates its policy with the
/// normal loader, then either reports what would change (<c>--check</c>, also <c>--dry-run</c>) or writes the files
/// (<see cref="BundleInstaller"/>) and, when the firewall is enabled, loads them like <c>outgate reload</c> (with
/// <c>--confirm-within</c> if given). Nothing is written unless every check passed. Exit codes: <see cref="BundleExitCodes"/>.
/// </summary>
public static class ApplyCommand
{
    public static Command Create()
    {
        var bundle = new Argument<string>("bundle") { Description = "The bundle file `outgate export` wrote, or - for stdin" };
        var check = new Option<bool>("--check") { Description = "Verify and show what would change; write nothing (exit 0 no change, 1 changes, 2 invalid)" };
        var cmd = new Command("apply", "Verify a policy bundle and make it the policy (reloading the firewall when enabled)") { bundle, check };
        cmd.SetAction(parse => FirewallCommandContext.Run(parse, ctx =>
            Execute(ctx, parse.GetValue(bundle)!, parse.GetValue(check) || ctx.DryRun, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error)));
        return cmd;
    }

    private static int Execute(FirewallCommandContext ctx, string source, bool check, TextWriter stdout, TextWriter stderr)
    {
        if (Read(source, stderr) is not { } bytes) return BundleExitCodes.Invalid;
        PolicyBundle bundle;
        try
        {
            bundle = PolicyBundle.Parse(bytes, source == "-" ? "<stdin>" : source);
        }
        catch (BundleFormatException ex)
        {
            stderr.WriteLine(ex.Message);
            stderr.WriteLine("Nothing was changed.");
            return BundleExitCodes.Invalid;
        }

        var candidate = BundleValidation.Load(bundle, ctx.Paths.ConfigDir, source == "-" ? "<stdin>" : source);
        if (!candidate.Succeeded)
        {
            stderr.WriteLine($"outgate apply: the bundle's policy has errors; nothing was changed:");
            foreach (var e in candidate.Errors) stderr.WriteLine($"  {e}");
            return BundleExitCodes.Invalid;
        }

        var current = PolicyFileSet.Load(ctx.Paths.ConfigDir);
        var currentFiles = current.Succeeded ? BundleExport.FilesAsIs(current.FileSet) : CurrentFilesRaw(ctx.Paths.ConfigDir);
        var fileChanges = FileChanges(currentFiles, bundle.Files);
        var ruleChanges = current.Succeeded
            ? PolicyChange.Describe(current.FileSet.Policy, candidate.FileSet.Policy)
            : ["  (the current policy files have errors, so every rule of the bundle is new to the kernel)"];

        stdout.WriteLine($"Bundle sha256 {bundle.Digest} verified: {bundle.Files.Count} file{(bundle.Files.Count == 1 ? "" : "s")}, created {bundle.Created:yyyy-MM-dd HH:mm:ss} UTC on {Connections.Printable.Escape(bundle.Host)}");
        if (fileChanges.Count == 0)
        {
            stdout.WriteLine("No change: the policy files already match the bundle.");
            if (!check) AppliedBundleFile.Record(ctx.Paths, bundle.Digest);
            return BundleExitCodes.Ok;
        }
        stdout.WriteLine(check ? "Would change:" : "Changes:");
        foreach (var line in fileChanges) stdout.WriteLine(line);
        if (ruleChanges.Count == 0) stdout.WriteLine("  no rule or setting changes (comments or layout only)");
        foreach (var line in ruleChanges) stdout.WriteLine(line);
        if (check) return BundleExitCodes.WouldChange;

        using var stateLock = StateLock.Acquire(ctx.Paths);
        var now = DateTimeOffset.UtcNow;
        string? backup = null;
        void Commit() => backup = BundleInstaller.Install(ctx.Paths, bundle.Files, now);
        if (FirewallState.IsEnabled(ctx.Paths))
        {
            var deadline = KernelChange.Apply(ctx, FirewallCommandContext.Compile(candidate.FileSet.Policy), Commit);
            AppliedBundleFile.Record(ctx.Paths, bundle.Digest);
            stdout.WriteLine("Bundle applied; firewall reloaded");
            if (backup is not null) stdout.WriteLine($"Previous policy files saved in {backup}");
            KernelChange.ReportPending(ctx, deadline);
        }
        else
        {
            Commit();
            AppliedBundleFile.Record(ctx.Paths, bundle.Digest);
            stdout.WriteLine("Bundle applied (firewall not enabled: the files are written, nothing was loaded)");
            if (backup is not null) stdout.WriteLine($"Previous policy files saved in {backup}");
        }
        return BundleExitCodes.Ok;
    }

    private static byte[]? Read(string source, TextWriter stderr)
    {
        try
        {
            if (source == "-")
            {
                using var stdin = Console.OpenStandardInput();
                using var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int n;
                while ((n = stdin.Read(chunk)) > 0)
                {
                    buffer.Write(chunk, 0, n);
                    if (buffer.Length > PolicyBundle.MaxBytes) break; // Parse reports the size
                }
                return buffer.ToArray();
            }
            var length = new FileInfo(source).Length;
            if (length > PolicyBundle.MaxBytes)
            {
                stderr.WriteLine($"{source}:1: error: the file is {length} bytes, more than the {PolicyBundle.MaxBytes >> 20} MiB a policy bundle may have (hint: this is not an outgate bundle; export one with `outgate export`)");
                return null;
            }
            return File.ReadAllBytes(source);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"outgate apply: cannot read the bundle {source}: {ex.Message} (hint: check the path; run as root if it is root's file)");
            stderr.WriteLine("Nothing was changed.");
            return null;
        }
    }

    private static IReadOnlyList<BundleFile> CurrentFilesRaw(string config)
    {
        var files = new List<BundleFile>();
        foreach (var path in BundleInstaller.CurrentPolicyFiles(config))
        {
            try { files.Add(new BundleFile(Path.GetRelativePath(config, path), File.ReadAllText(path))); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { files.Add(new BundleFile(Path.GetRelativePath(config, path), "\0unreadable")); }
        }
        return files;
    }

    /// <summary>"  new rules.d/x.toml", "  changed outgate.toml", "  removed rules.d/old.toml".</summary>
    private static List<string> FileChanges(IReadOnlyList<BundleFile> current, IReadOnlyList<BundleFile> bundle)
    {
        var now = current.ToDictionary(f => f.Name, f => f.Text, StringComparer.Ordinal);
        var next = bundle.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var f in bundle)
        {
            if (!now.TryGetValue(f.Name, out var text)) lines.Add($"  new file {f.Name}");
            else if (text != f.Text) lines.Add($"  changed file {f.Name}");
        }
        foreach (var name in now.Keys)
            if (!next.Contains(name)) lines.Add($"  removed file {name}");
        return lines;
    }
}
