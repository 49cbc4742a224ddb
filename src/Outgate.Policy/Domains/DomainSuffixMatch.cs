namespace Outgate.Policy.Domains;

/// <summary>
/// The entry that matched a name: it is the name's suffix from <see cref="Start"/> (0 = the whole name), so
/// explaining a decision needs no allocation: <c>name[match.Start..]</c>.
/// </summary>
public readonly record struct DomainSuffixMatch(int Start, DomainMatchScope Scope);
