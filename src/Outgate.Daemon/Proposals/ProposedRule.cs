using Outgate.Policy;

namespace Outgate.Daemon.Proposals;

/// <summary>
/// One allow rule of a proposal with the evidence behind it: how many recorded connections it covers and when they happened.
/// <paramref name="Purpose"/> is <c>dns</c>, <c>ntp</c> or <c>traffic</c>; <paramref name="Notes"/> are TOML comment lines
/// (what a wildcard or network stands for, where a hash came from).
/// </summary>
public sealed record ProposedRule(Rule Rule, string Purpose, long Count, DateTimeOffset First, DateTimeOffset Last, IReadOnlyList<string> Notes);
