namespace Outgate.Policy;

/// <summary>
/// One pair of timeout sets the daemon fills from DNS answers: every IPv4 answer for a name <see cref="Pattern"/> matches
/// (or, for a domain list, a name in <see cref="ListPath"/>) goes into <see cref="SetName4"/> with timeout TTL + dns-grace,
/// IPv6 answers into <see cref="SetName6"/>. <see cref="RuleIndex"/> is 0-based into <see cref="FirewallPolicy.Rules"/>.
/// </summary>
public sealed record DomainSetBinding(string SetName4, string SetName6, DomainPattern? Pattern, string? ListPath, int RuleIndex, RuleAction Action);
