namespace Outgate.Policy;

/// <summary>
/// Decides new outgoing connections by the policy's rules that have a <see cref="RuleSubject"/>,
/// with explicit precedence: the most specific matching subject wins (hash pin, then executable
/// path, command line, parent, container, unit, cgroup, user, group); among equally specific
/// rules deny/reject wins over allow; then rule order. Expired rules (<see cref="Rule.Expires"/>,
/// <see cref="Rule.BootId"/> of another boot) never match. Thread-safe, built once per policy.
/// </summary>
public sealed partial class SubjectMatcher
{
    /// <summary>Rules with an app, by the executable file name they can match (path rules under their file name).</summary>
    private readonly Dictionary<string, SubjectRule[]> byAppName;

    /// <summary><see cref="byAppName"/> keyed by a span, so Decide looks up the executable's file name without a substring.</summary>
    private readonly Dictionary<string, SubjectRule[]>.AlternateLookup<ReadOnlySpan<char>> appNameLookup;

    /// <summary>Rules without an app: every process is a candidate.</summary>
    private readonly SubjectRule[] withoutApp;

    /// <summary>Every subject rule in rule order (for <see cref="Explain"/>).</summary>
    private readonly SubjectRule[] all;

    /// <summary>Distinct expiry times, ascending, for <see cref="SubjectDecision.ValidUntil"/>.</summary>
    private readonly DateTimeOffset[] expiries;

    /// <summary>
    /// Prepares the subject rules of <paramref name="policy"/> (rules without a subject are ignored). <paramref name="lists"/>
    /// loads <c>to list</c> files (default: a private cache).
    /// </summary>
    public SubjectMatcher(FirewallPolicy policy, string? currentBootId = null, Domains.DomainListCache? lists = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        CurrentBootId = currentBootId;
        all = policy.Rules
            .Select((rule, index) => (rule, index))
            .Where(r => r.rule.Subject is { IsEmpty: false })
            .Select(r => SubjectRule.Create(r.rule, r.index + 1, lists ??= new Domains.DomainListCache()))
            .ToArray();
        withoutApp = all.Where(r => r.Rule.Subject!.App is null).ToArray();
        byAppName = all.Where(r => r.Rule.Subject!.App is not null)
            .GroupBy(r => FileName(r.Rule.Subject!.App!).ToString(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        appNameLookup = byAppName.GetAlternateLookup<ReadOnlySpan<char>>();
        expiries = all.Where(r => r.Rule.Expires is not null).Select(r => r.Rule.Expires!.Value).Distinct().Order().ToArray();
    }

    public FirewallPolicy Policy { get; }

    public string? CurrentBootId { get; }

    /// <summary>True when the policy has at least one rule with a subject.</summary>
    public bool HasSubjectRules => all.Length > 0;

    /// <summary>Decides <paramref name="packet"/> sent by <paramref name="process"/> at <paramref name="now"/>.</summary>
    public SubjectDecision Decide(in PacketFacts packet, ProcessFacts process, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(process);
        SubjectRule? best = null;
        List<Rule>? mismatches = null;
        // Only rules naming this executable's file name can match (hash mismatches included); the rest are scanned.
        var appRules = process.ExecutablePath is { } exe && appNameLookup.TryGetValue(FileName(exe), out var found) ? found : [];
        Consider(appRules, packet, process, now, ref best, ref mismatches);
        Consider(withoutApp, packet, process, now, ref best, ref mismatches);
        return new SubjectDecision(best?.Verdict, best?.Rule, best?.Number ?? 0, mismatches is null ? [] : mismatches.ToArray(), NextExpiry(now));
    }

    /// <summary>
    /// Human lines explaining the decision: every subject rule considered, whether it matched and why
    /// not (which field differed), and which one won by which precedence step.
    /// </summary>
    public IReadOnlyList<string> Explain(in PacketFacts packet, ProcessFacts process, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(process);
        var lines = new List<string>();
        var matches = new List<SubjectRule>();
        foreach (var rule in all)
        {
            var outcome = Evaluate(rule, packet, process, now, explain: true, out var why);
            var text = $"rule {rule.Number} {rule.Rule.ToUfwString()}";
            switch (outcome)
            {
                case Outcome.Match:
                    matches.Add(rule);
                    var destination = rule.Packet.ToDomain is not null || rule.Packet.ToList is not null ? "; " + rule.Packet.DescribeDestination(packet) : "";
                    lines.Add($"{text}: matches ({SubjectSyntax.Describe(rule.Rule.Subject!)}{destination})");
                    break;
                case Outcome.HashMismatch:
                    lines.Add($"{text}: no match, HASH MISMATCH ({why}): the executable changed since the rule was made");
                    break;
                default:
                    lines.Add($"{text}: no match ({why})");
                    break;
            }
        }

        if (matches.Count == 0)
        {
            lines.Add(all.Length == 0 ? "no rule names a program: the static rules and the default decide" : "no subject rule matched: the static rules and the default decide");
            return lines;
        }

        var winner = matches.Aggregate((a, b) => Beats(b, a) ? b : a);
        var sameScore = matches.Where(m => m != winner && m.Score == winner.Score).ToList();
        var step = sameScore.Count == 0
            ? $"most specific subject: {SubjectSyntax.PrecedenceName(winner.MostSpecific, winner.Rule.Subject!)}"
            : sameScore.Any(m => m.Refuses != winner.Refuses)
                ? $"equally specific rules disagree ({SubjectSyntax.PrecedenceName(winner.MostSpecific, winner.Rule.Subject!)}): deny wins"
                : $"equally specific rules ({SubjectSyntax.PrecedenceName(winner.MostSpecific, winner.Rule.Subject!)}): the first one wins";
        lines.Add($"decided by rule {winner.Number} ({step})");
        return lines;
    }

    private void Consider(SubjectRule[] candidates, in PacketFacts packet, ProcessFacts process, DateTimeOffset now, ref SubjectRule? best, ref List<Rule>? mismatches)
    {
        foreach (var rule in candidates)
        {
            switch (Evaluate(rule, packet, process, now, explain: false, out _))
            {
                case Outcome.Match when best is null || Beats(rule, best):
                    best = rule;
                    break;
                case Outcome.HashMismatch:
                    (mismatches ??= []).Add(rule.Rule);
                    break;
            }
        }
    }

    private enum Outcome
    {
        Match,
        NoMatch,
        HashMismatch,
    }

    /// <summary>More specific first; deny/reject over allow on a tie; then the lower rule number.</summary>
    private static bool Beats(SubjectRule candidate, SubjectRule current)
        => candidate.Score != current.Score ? candidate.Score > current.Score
            : candidate.Refuses != current.Refuses ? candidate.Refuses
            : candidate.Number < current.Number;

    /// <summary>Tests one rule; with <paramref name="explain"/>, <paramref name="why"/> names the first difference (Decide skips building it).</summary>
    private Outcome Evaluate(SubjectRule rule, in PacketFacts packet, ProcessFacts process, DateTimeOffset now, bool explain, out string? why)
    {
        why = null;
        if (rule.Rule.Expires is { } expires && expires <= now)
        {
            why = explain ? $"expired at {RuleTimestamp.Format(expires)}" : null;
            return Outcome.NoMatch;
        }

        if (rule.Rule.BootId is { } bootId && bootId != CurrentBootId)
        {
            why = "made for an earlier boot (until-reboot)";
            return Outcome.NoMatch;
        }

        if (packet.Direction != rule.Rule.Direction || !rule.Packet.Matches(packet, packet.Destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6))
        {
            why = !explain ? null
                : (rule.Packet.ToDomain is not null || rule.Packet.ToList is not null) && !rule.Packet.MatchesDestination(packet, out _)
                    ? rule.Packet.DescribeDestination(packet)
                    : "the packet does not match the rule's interface, addresses, ports or protocol";
            return Outcome.NoMatch;
        }

        var hashDiffers = false;
        foreach (var (field, value) in rule.Fields)
        {
            if (SubjectFieldMatch.Matches(field, value, process))
            {
                continue;
            }

            // A pinned hash that differs from a known hash while the app itself matches is a changed binary, worth reporting.
            if (field == SubjectField.Sha256 && process.Sha256 is not null && rule.Rule.Subject!.App is not null)
            {
                hashDiffers = true;
                why = explain ? $"hash pin {Short(value)}, executable {Short(process.Sha256)}" : null;
                continue;
            }

            why = explain ? $"{SubjectSyntax.Keyword(field)} is {SubjectFieldMatch.Actual(field, process)}, not {value}" : null;
            return Outcome.NoMatch;
        }

        return hashDiffers ? Outcome.HashMismatch : Outcome.Match;
    }

    private DateTimeOffset? NextExpiry(DateTimeOffset now)
    {
        // Simple and correct: any rule expiring may change some answer, so the answer is valid until the next expiry.
        var index = Array.BinarySearch(expiries, now);
        index = index >= 0 ? index + 1 : ~index;
        return index < expiries.Length ? expiries[index] : null;
    }

    private static ReadOnlySpan<char> FileName(string path) => path.AsSpan(path.LastIndexOf('/') + 1);

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
}
