namespace Outgate.Policy;

/// <summary>
/// <see cref="SubjectMatcher"/>'s answer for one connection. <see cref="Rule"/> is null when no rule
/// with a subject matched (the static rules and the mode decide). <see cref="RuleNumber"/> is the
/// rule's 1-based number in the policy (as in <c>status numbered</c>). <see cref="HashMismatches"/>
/// lists rules that would have matched but for a changed executable (hash pin): report them.
/// <see cref="ValidUntil"/> is when this answer may change by itself (the matched rule expires),
/// or null for never; the daemon caches the answer until then or until the policy changes.
/// </summary>
public sealed record SubjectDecision(
    Verdict? Verdict,
    Rule? Rule,
    int RuleNumber,
    IReadOnlyList<Rule> HashMismatches,
    DateTimeOffset? ValidUntil);
