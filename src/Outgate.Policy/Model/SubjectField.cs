namespace Outgate.Policy;

/// <summary>One field of a <see cref="RuleSubject"/>, in precedence order (most specific first; see <see cref="SubjectMatcher"/>).</summary>
internal enum SubjectField
{
    Sha256,
    App,
    CommandLine,
    Parent,
    Container,
    Unit,
    Cgroup,
    User,
    Group,
}
