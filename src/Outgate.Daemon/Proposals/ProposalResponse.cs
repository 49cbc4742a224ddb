namespace Outgate.Daemon.Proposals;

/// <summary>
/// <c>GET /v1/policy/propose</c>: the policy as TOML, the same rules in ufw form with their evidence, and what was left
/// for review. <see cref="Truncated"/> is true when more decisions were recorded than one proposal reads.
/// </summary>
public sealed record ProposalResponse(
    string Toml,
    DateTimeOffset GeneratedAt,
    DateTimeOffset Since,
    long Connections,
    long Proposed,
    long Reviewed,
    long Loopback,
    bool Truncated,
    IReadOnlyList<ProposalRuleResponse> Rules,
    IReadOnlyList<ProposalReviewResponse> Review,
    int ReviewOmitted,
    IReadOnlyList<string> Notes);

/// <summary>One proposed rule: its ufw form (<c>allow out app /usr/bin/curl to domain example.com port 443 proto tcp</c>) and evidence.</summary>
public sealed record ProposalRuleResponse(string Rule, string Subject, string Purpose, long Count, DateTimeOffset First, DateTimeOffset Last, IReadOnlyList<string> Notes);

/// <summary>Traffic not proposed as allowed, and why.</summary>
public sealed record ProposalReviewResponse(string Program, string? Destination, string? Domain, int? Port, string? Proto, string Reason, long Count, DateTimeOffset First, DateTimeOffset Last);
