using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Outgate.Cli.Connections;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.PolicyTools;

/// <summary>
/// <c>outgate policy simulate CANDIDATE.toml [DROP-IN.toml…] [--since 7d] [--examples N] [--json] [--socket PATH]</c>:
/// replays the connections outgated recorded against a candidate policy (enforce mode) and reports, per program, what
/// would have been refused, and which rules decided nothing. Exit codes: <see cref="SimulationExitCodes"/>.
/// </summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("candidate")
        {
            Description = "The candidate outgate.toml, then any rules.d drop-ins in load order (or one configuration directory)",
            Arity = ArgumentArity.OneOrMore,
            HelpName = "CANDIDATE.toml",
        };
        var since = new Option<string?>("--since") { Description = $"Replay connections recorded since then: {LogSince.Examples} (default: everything recorded)", HelpName = "WHEN" };
        var examples = new Option<int>("--examples") { Description = "Example connections shown per program (0-100, default 3)", HelpName = "N", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print outgated's report as JSON" };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("simulate", "Replay recorded connections against a candidate policy; exit 1 if it would refuse any that were allowed");
        cmd.Arguments.Add(files);
        foreach (var o in new Option[] { since, examples, json, socket }) cmd.Options.Add(o);
        cmd.SetAction(async (parse, ct) =>
        {
            var errors = new List<string>();
            var sinceText = ParseSince(parse.GetValue(since), errors);
            var count = parse.GetValue(examples);
            if (count is < 0 or > 100) errors.Add($"bad --examples {count}: give 0 to 100");
            var paths = parse.GetValue(files) ?? [];
            var candidate = errors.Count == 0 ? SimulationFiles.TryRead(paths, errors) : null;
            if (candidate is null) return Fail(errors, SimulationExitCodes.BadInput);
            try
            {
                using var client = new SimulationClient(parse.GetValue(socket)!);
                var report = await client.SimulateAsync(new SimulationRequest(candidate.Files, sinceText, count), ct);
                Console.Out.Write(parse.GetValue(json)
                    ? JsonSerializer.Serialize(report, SimulationJsonContext.Default.SimulationReport) + "\n"
                    : SimulationReportText.Format(report, candidate.Files.Select(f => f.Name).ToList()));
                return report.Breaks ? SimulationExitCodes.Breaks : SimulationExitCodes.Clean;
            }
            catch (DaemonRequestException ex) when (ex.Status == 422)
            {
                return Fail([ex.Message], SimulationExitCodes.BadInput);
            }
            catch (DaemonRequestException ex)
            {
                return Fail([ex.Message + (ex.Hint is { } h ? $" ({h})" : "")], SimulationExitCodes.DaemonUnavailable);
            }
            catch (DaemonUnavailableException ex)
            {
                return Fail([ex.Message], SimulationExitCodes.DaemonUnavailable);
            }
        });
        return cmd;
    }

    /// <summary>Checks <paramref name="text"/> locally (so typos fail before anything is sent) and sends it as an absolute UTC time.</summary>
    internal static string? ParseSince(string? text, List<string> errors)
    {
        if (text is null) return null;
        if (LogSince.TryParse(text, DateTimeOffset.UtcNow, out var when))
            return when.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        errors.Add($"bad --since '{Printable.Escape(text)}': give {LogSince.Examples}");
        return null;
    }

    internal static int Fail(IEnumerable<string> errors, int code)
    {
        foreach (var e in errors) Console.Error.WriteLine(e.Contains(": error:", StringComparison.Ordinal) ? e : "outgate policy: " + e);
        return code;
    }
}
