using System.Globalization;
using System.Text;

namespace Outgate.Cli.PolicyTools;

/// <summary>The readable form of a simulation or diff: one section per program, never-used rules, suspicious traffic.</summary>
public static class SimulationReportText
{
    public static string Format(SimulationReport r, IReadOnlyList<string> files)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Candidate: {string.Join(", ", files)} ({r.Rules} rules)");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Replayed: {r.Connections} recorded connections ({r.Distinct} distinct) {Window(r.Since, r.Until)}");
        if (r.Unjudged > 0) sb.AppendLine(CultureInfo.InvariantCulture, $"Skipped: {r.Unjudged} recorded connections without a usable address or protocol");
        sb.AppendLine();
        var broken = r.Apps.Where(a => a.Refused > 0).ToList();
        if (broken.Count == 0)
        {
            sb.AppendLine("Would break: nothing. Every recorded connection that was allowed is allowed by the candidate.");
        }
        else
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"Would break: {r.RefusedConnections} connections of {broken.Count} program(s) that were allowed would be refused");
            foreach (var app in broken)
            {
                sb.AppendLine();
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {app.App}: {app.Refused} of {app.Connections} connections refused");
                AppendExamples(sb, app.Examples);
            }
        }
        sb.AppendLine();
        if (r.NeverUsedRules.Count == 0)
        {
            sb.AppendLine("Never used: none (every rule decided at least one recorded connection)");
        }
        else
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"Never used: {r.NeverUsedRules.Count} rule(s) decided none of the recorded connections");
            foreach (var rule in r.NeverUsedRules)
                sb.AppendLine(CultureInfo.InvariantCulture, $"  [{rule.Number}] {rule.Rule}{(rule.Origin is { } o ? $"   ({o})" : "")}");
        }
        if (r.SuspiciousAllowed.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"Suspicious allowed: {r.SuspiciousAllowed.Count} connection(s) that raised alerts would be allowed; review them:");
            foreach (var s in r.SuspiciousAllowed)
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {s.App} → {Example(s.Connection)}");
        }
        sb.AppendLine();
        sb.AppendLine(r.Breaks ? "Result: the candidate would break recorded traffic (exit 1)" : "Result: nothing recorded would break (exit 0)");
        return sb.ToString();
    }

    public static void AppendEffect(StringBuilder sb, DiffEffect e)
    {
        sb.AppendLine(CultureInfo.InvariantCulture, $"Effect on {e.Connections} recorded connections ({e.Distinct} distinct) {Window(e.Since, e.Until)}:");
        AppendEffectList(sb, "Newly refused (A allows, B refuses)", e.NewlyRefused);
        AppendEffectList(sb, "Newly allowed (A refuses, B allows)", e.NewlyAllowed);
    }

    private static void AppendEffectList(StringBuilder sb, string title, IReadOnlyList<DiffAppEffect> apps)
    {
        if (apps.Count == 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {title}: none");
            return;
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"  {title}: {apps.Sum(a => a.Connections)} connections of {apps.Count} program(s)");
        foreach (var app in apps)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"    {app.App}: {app.Connections}");
            AppendExamples(sb, app.Examples, "      ");
        }
    }

    private static void AppendExamples(StringBuilder sb, IReadOnlyList<SimulatedConnection> examples, string indent = "    ")
    {
        foreach (var x in examples) sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}{Example(x)}");
    }

    private static string Example(SimulatedConnection x) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{x.Destination}  ×{x.Count}  first {Time(x.FirstSeen)}, last {Time(x.LastSeen)}  — {x.DecidedBy}");

    private static string Window(DateTimeOffset? since, DateTimeOffset until) =>
        since is { } s ? $"from {Time(s)} to {Time(until)}" : $"(everything recorded, up to {Time(until)})";

    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
