using System.CommandLine;
using System.Text;
using System.Text.Json;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.PolicyTools;

/// <summary>
/// <c>outgate policy diff A B [--since 7d] [--examples N] [--json] [--socket PATH]</c>: A and B are policy files or
/// configuration directories. Prints the rule changes and, when outgated answers, which recorded connections B would
/// decide differently from A. Without a daemon only the rule changes (said so on stderr).
/// Exit codes: 0 no differences, 1 differences (rules or effect), 2 bad input (<see cref="SimulationExitCodes"/>).
/// </summary>
public static class DiffCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("a") { Description = "The current policy: a policy file or a configuration directory", HelpName = "A" };
        var b = new Argument<string>("b") { Description = "The changed policy: a policy file or a configuration directory", HelpName = "B" };
        var since = new Option<string?>("--since") { Description = $"Judge connections recorded since then: {LogSince.Examples} (default: everything recorded)", HelpName = "WHEN" };
        var examples = new Option<int>("--examples") { Description = "Example connections shown per program (0-100, default 3)", HelpName = "N", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = """JSON: {"changes": [...], "effect": {...}, "effectUnavailable": "why"}""" };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("diff", "Show the rule changes between two policies and how they change the verdicts on recorded traffic");
        cmd.Arguments.Add(a);
        cmd.Arguments.Add(b);
        foreach (var o in new Option[] { since, examples, json, socket }) cmd.Options.Add(o);
        cmd.SetAction(async (parse, ct) =>
        {
            var errors = new List<string>();
            var sinceText = SimulateCommand.ParseSince(parse.GetValue(since), errors);
            var count = parse.GetValue(examples);
            if (count is < 0 or > 100) errors.Add($"bad --examples {count}: give 0 to 100");
            var policyA = SimulationFiles.TryRead([parse.GetValue(a)!], errors);
            var policyB = SimulationFiles.TryRead([parse.GetValue(b)!], errors);
            if (errors.Count > 0 || policyA is null || policyB is null) return SimulateCommand.Fail(errors, SimulationExitCodes.BadInput);

            var changes = DiffRules.Compare(policyA.Policy, policyB.Policy);
            DiffEffect? effect = null;
            string? unavailable = null;
            try
            {
                using var client = new SimulationClient(parse.GetValue(socket)!);
                effect = await client.DiffAsync(new DiffSimulationRequest(policyA.Files, policyB.Files, sinceText, count), ct);
            }
            catch (Exception ex) when (ex is DaemonUnavailableException or DaemonRequestException)
            {
                unavailable = ex.Message;
            }

            if (parse.GetValue(json))
            {
                Console.Out.Write(JsonSerializer.Serialize(new DiffOutput(changes, effect, unavailable), SimulationJsonContext.Default.DiffOutput) + "\n");
            }
            else
            {
                var sb = new StringBuilder();
                sb.AppendLine($"--- A: {parse.GetValue(a)} ({policyA.Policy.Rules.Count} rules)");
                sb.AppendLine($"+++ B: {parse.GetValue(b)} ({policyB.Policy.Rules.Count} rules)");
                if (changes.Count == 0) sb.AppendLine("No rule, default or switch changes.");
                foreach (var line in changes) sb.AppendLine(line);
                sb.AppendLine();
                if (effect is not null) SimulationReportText.AppendEffect(sb, effect);
                else sb.AppendLine("Effect on recorded traffic: not shown, outgated could not be asked (only the rule changes above).");
                Console.Out.Write(sb.ToString());
            }
            if (unavailable is not null) Console.Error.WriteLine($"outgate policy diff: effect on recorded traffic unavailable: {unavailable}");
            var differs = changes.Count > 0 || effect is { NewlyRefused.Count: > 0 } || effect is { NewlyAllowed.Count: > 0 };
            return differs ? SimulationExitCodes.Breaks : SimulationExitCodes.Clean;
        });
        return cmd;
    }
}
