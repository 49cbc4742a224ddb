using Outgate.Policy;

namespace Outgate.Daemon.Simulation;

/// <summary>
/// Replays recorded connections against candidate policies. Pure apart from the executable hashes
/// <see cref="CandidateJudge"/> may read: the caller supplies the grouped connections
/// (<see cref="RecordedConnectionReader"/>) and the clock.
/// </summary>
public static class PolicySimulator
{
    public const int DefaultExamples = 3;
    public const int MaxExamples = 100;

    /// <summary>
    /// Judges every group against <paramref name="candidate"/>: a group "breaks" when the daemon let some of its
    /// connections through and the candidate refuses it; alerts the candidate allows are listed as suspicious.
    /// </summary>
    public static SimulationReport Simulate(IEnumerable<RecordedConnection> recorded, CandidatePolicy candidate, DateTimeOffset? since, DateTimeOffset now,
        int examples = DefaultExamples, Func<string, string?>? hash = null)
        => Simulate(recorded, candidate.Policy, candidate.Origins, since, now, examples, hash);

    public static SimulationReport Simulate(IEnumerable<RecordedConnection> recorded, FirewallPolicy policy, IReadOnlyList<RuleOrigin>? origins,
        DateTimeOffset? since, DateTimeOffset now, int examples = DefaultExamples, Func<string, string?>? hash = null)
    {
        examples = Math.Clamp(examples, 0, MaxExamples);
        var judge = new CandidateJudge(policy, now, hash);
        var apps = new Dictionary<(string?, string?, string?), AppTally>();
        var suspicious = new List<SuspiciousConnection>();
        long connections = 0, distinct = 0, unjudged = 0, refused = 0;
        foreach (var c in recorded)
        {
            if (judge.Judge(c) is not { } verdict)
            {
                if (!c.Alert) unjudged += c.Count;
                continue;
            }
            if (c.Alert)
            {
                // Bounded: a flood of alerts must not grow the report without limit.
                if (verdict.Allowed && suspicious.Count < 1000) suspicious.Add(new SuspiciousConnection(c.App, AppTally.Example(c, verdict.DecidedBy)));
                continue;
            }
            distinct++;
            connections += c.Count;
            var tally = AppTally.For(apps, c, examples);
            tally.Connections += c.Count;
            if (c.Allowed > 0 && !verdict.Allowed)
            {
                tally.Hits += c.Allowed;
                refused += c.Allowed;
                tally.AddExample(c with { Count = c.Allowed }, verdict.DecidedBy);
            }
        }
        var unused = new List<UnusedRule>();
        for (var i = 0; i < judge.Used.Length; i++)
        {
            if (!judge.Used[i]) unused.Add(new UnusedRule(i + 1, policy.Rules[i].ToUfwString(), origins is { } o && i < o.Count ? o[i].ToString() : null));
        }
        var appList = apps.Values
            .OrderByDescending(a => a.Hits).ThenByDescending(a => a.Connections).ThenBy(a => a.App, StringComparer.Ordinal)
            .Select(a => new AppSimulation(a.App, a.Exe, a.Unit, a.Container, a.Connections, a.Hits, a.Examples()))
            .ToList();
        return new SimulationReport(since, now, policy.Rules.Count, connections, distinct, unjudged, refused > 0, refused, appList, unused,
            suspicious.OrderByDescending(s => s.Connection.Count).ToList());
    }

    /// <summary>Judges every recorded decision under <paramref name="a"/> and <paramref name="b"/> and reports the connections whose verdict changes.</summary>
    public static DiffReport Diff(IEnumerable<RecordedConnection> recorded, FirewallPolicy a, FirewallPolicy b, DateTimeOffset? since, DateTimeOffset now,
        int examples = DefaultExamples, Func<string, string?>? hash = null)
    {
        examples = Math.Clamp(examples, 0, MaxExamples);
        var judgeA = new CandidateJudge(a, now, hash);
        var judgeB = new CandidateJudge(b, now, hash);
        var refused = new Dictionary<(string?, string?, string?), AppTally>();
        var allowed = new Dictionary<(string?, string?, string?), AppTally>();
        long connections = 0, distinct = 0;
        foreach (var c in recorded)
        {
            if (c.Alert || judgeA.Judge(c) is not { } va || judgeB.Judge(c) is not { } vb) continue;
            distinct++;
            connections += c.Count;
            if (va.Allowed == vb.Allowed) continue;
            var tally = AppTally.For(va.Allowed ? refused : allowed, c, examples);
            tally.Hits += c.Count;
            tally.AddExample(c, vb.DecidedBy);
        }
        return new DiffReport(since, now, connections, distinct, Effects(refused), Effects(allowed));
    }

    private static List<AppEffect> Effects(Dictionary<(string?, string?, string?), AppTally> apps) =>
        apps.Values.OrderByDescending(a => a.Hits).ThenBy(a => a.App, StringComparer.Ordinal)
            .Select(a => new AppEffect(a.App, a.Hits, a.Examples())).ToList();
}
