using System.CommandLine;
using System.Text;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.PolicyTools;

/// <summary>
/// `outgate policy propose [--since 7d] [--hashes] [--json] [--output FILE [--force]] [--socket PATH]`: asks outgated to
/// turn the recorded traffic into a minimal allow-list (default deny outgoing) and prints it as TOML on stdout (or writes
/// FILE); what it deliberately left out (alerts, no-dns/dot/doh, refused, unattributed) is listed on stderr for review.
/// --json prints the daemon's whole answer instead. Exit codes: <see cref="DaemonExitCodes"/>.
/// </summary>
public static class ProposeCommand
{
    public static Command Create()
    {
        var since = new Option<string>("--since") { Description = $"Only traffic recorded since this time or age: {LogSince.Examples} (default 7d)", DefaultValueFactory = _ => "7d" };
        var hashes = new Option<bool>("--hashes") { Description = "Pin executables to the SHA-256 of the file as it is now (events record no hash)" };
        var json = new Option<bool>("--json") { Description = "Print the daemon's whole answer as JSON (toml, rules with evidence, review list)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the TOML to this file instead of stdout (refuses to overwrite without --force)" };
        // --force is the CLI-wide recursive option (reset uses it too); a second one here would show up twice in --help.
        var force = Rules.RuleOptions.Force;
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("propose", "Propose a minimal allow-list policy (TOML) from the traffic outgated recorded; suspicious traffic is listed for review, never allowed");
        foreach (var o in new Option[] { since, hashes, json, output, socket }) cmd.Options.Add(o);
        cmd.SetAction(async (parse, ct) =>
        {
            var errors = new List<string>();
            var sinceText = parse.GetValue(since)!;
            if (!LogSince.TryParse(sinceText, DateTimeOffset.Now, out var from))
                errors.Add($"bad --since '{Connections.Printable.Escape(sinceText)}': give an age or a time, e.g. {LogSince.Examples}");
            var file = parse.GetValue(output);
            if (file is { Length: 0 }) errors.Add("empty --output: give a file name");
            else if (file is not null && !parse.GetValue(force) && (File.Exists(file) || Directory.Exists(file)))
                errors.Add($"{Connections.Printable.Escape(file)} already exists: pick another --output or add --force to replace it");
            if (file is not null && parse.GetValue(json)) errors.Add("--json prints to stdout: leave out --output, or leave out --json to write the TOML");
            if (errors.Count > 0) return DaemonCommandRunner.Usage(parse, "policy propose", errors);

            return await DaemonCommandRunner.RunAsync(parse, "policy propose", socket, async (client, stdout, ct) =>
            {
                var (proposal, raw) = await ProposalClient.FetchAsync(client, from, parse.GetValue(hashes), ct);
                var stderr = parse.InvocationConfiguration.Error;
                if (parse.GetValue(json))
                {
                    await stdout.WriteLineAsync(raw);
                    return DaemonExitCodes.Ok;
                }

                if (file is not null)
                {
                    try
                    {
                        WriteFile(file, proposal.Toml, parse.GetValue(force));
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        await stderr.WriteLineAsync($"outgate policy propose: cannot write {Connections.Printable.Escape(file)}: {ex.Message}; check the directory and its permissions");
                        return DaemonExitCodes.Usage;
                    }
                }
                else
                {
                    await stdout.WriteAsync(proposal.Toml);
                }

                await stderr.WriteLineAsync(Summary(proposal, file));
                foreach (var note in proposal.Notes) await stderr.WriteLineAsync("Note: " + note);
                if (proposal.Review.Count > 0)
                {
                    await stderr.WriteLineAsync("Not proposed, review these:");
                    foreach (var item in proposal.Review) await stderr.WriteLineAsync("  " + Connections.Printable.Escape(item.ToString()));
                    if (proposal.ReviewOmitted > 0) await stderr.WriteLineAsync($"  … and {proposal.ReviewOmitted} more (see --json)");
                }

                return DaemonExitCodes.Ok;
            }, ct);
        });
        return cmd;
    }

    private static string Summary(ProposalDocument p, string? file) =>
        $"Proposed {p.Rules.Count} rules covering {p.Proposed} of {p.Connections} connections since {p.Since.UtcDateTime:yyyy-MM-dd HH:mm}Z"
        + $" ({p.Reviewed} left for review, {p.Loopback} loopback)" + (file is null ? "." : $"; written to {file}.")
        + (p.Truncated ? " Only part of the recorded traffic was read: use a later --since." : "");

    /// <summary>Temp file + rename in the target directory; without <paramref name="force"/> an existing file is never replaced (even one created meanwhile).</summary>
    private static void WriteFile(string path, string text, bool force)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(new UTF8Encoding(false).GetBytes(text));
                fs.Flush(flushToDisk: true);
            }

            if (force) File.Move(tmp, full, overwrite: true);
            else File.Move(tmp, full, overwrite: false);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
