namespace Outgate.Policy;

/// <summary>A rule with a subject, prepared once: its packet part as a <see cref="MatchRule"/>, its precedence score and verdict.</summary>
internal sealed record SubjectRule(Rule Rule, int Number, MatchRule Packet, int Score, SubjectField MostSpecific, Verdict Verdict)
{
    /// <summary>The subject's set fields, listed once so matching does not enumerate the record per connection.</summary>
    public required (SubjectField Field, string Value)[] Fields { get; init; }

    public static SubjectRule Create(Rule rule, int number, Domains.DomainListCache? lists = null)
    {
        var subject = rule.Subject!;
        var score = 0;
        SubjectField? mostSpecific = null;
        foreach (var (field, _) in SubjectSyntax.Fields(subject))
        {
            score |= Weight(field, subject);
            if (mostSpecific is null || field < mostSpecific)
            {
                mostSpecific = field;
            }
        }

        var verdict = rule.Action switch
        {
            RuleAction.Deny => Verdict.Drop,
            RuleAction.Reject => Verdict.Reject,
            _ => Verdict.Accept,
        };
        return new SubjectRule(rule, number, MatchRule.Create(rule, number, lists), score, mostSpecific ?? SubjectField.Group, verdict)
        {
            Fields = SubjectSyntax.Fields(subject).ToArray(),
        };
    }

    /// <summary>
    /// One bit per field, more specific fields higher, so comparing scores compares the most specific field first:
    /// hash pin > app path > app name > cmdline > parent > container > unit > cgroup > user > group.
    /// </summary>
    public static int Weight(SubjectField field, RuleSubject subject) => field switch
    {
        SubjectField.Sha256 => 1 << 9,
        SubjectField.App => subject.App!.StartsWith('/') ? 1 << 8 : 1 << 7,
        SubjectField.CommandLine => 1 << 6,
        SubjectField.Parent => 1 << 5,
        SubjectField.Container => 1 << 4,
        SubjectField.Unit => 1 << 3,
        SubjectField.Cgroup => 1 << 2,
        SubjectField.User => 1 << 1,
        SubjectField.Group => 1,
        _ => PolicyThrow.Unreachable<int>(field),
    };

    /// <summary>True for deny and reject (they win ties over allow).</summary>
    public bool Refuses => Verdict != Verdict.Accept;
}
