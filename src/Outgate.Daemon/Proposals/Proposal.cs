namespace Outgate.Daemon.Proposals;

/// <summary>
/// The result of <see cref="PolicyProposer"/>: allow rules for the ordinary traffic, review items for the rest.
/// <see cref="Connections"/> decisions were read; <see cref="Proposed"/> of them are covered by <see cref="Rules"/>,
/// <see cref="Reviewed"/> went to review, <see cref="Loopback"/> needed no rule (loopback is always allowed).
/// </summary>
public sealed record Proposal(
    IReadOnlyList<ProposedRule> Rules,
    IReadOnlyList<ReviewItem> Review,
    long Connections,
    long Proposed,
    long Reviewed,
    long Loopback,
    int ReviewOmitted,
    IReadOnlyList<string> Notes);
