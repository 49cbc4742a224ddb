namespace Outgate.Cli.PolicyTools;

/// <summary>The answer of outgated's <c>GET /v1/policy/propose</c> (see the daemon's ProposalResponse).</summary>
public sealed record ProposalDocument(
    string Toml,
    DateTimeOffset GeneratedAt,
    DateTimeOffset Since,
    long Connections,
    long Proposed,
    long Reviewed,
    long Loopback,
    bool Truncated,
    IReadOnlyList<ProposalRuleEntry> Rules,
    IReadOnlyList<ProposalReviewEntry> Review,
    int ReviewOmitted,
    IReadOnlyList<string> Notes);

/// <summary>One proposed rule in ufw form with its evidence.</summary>
public sealed record ProposalRuleEntry(string Rule, string Subject, string Purpose, long Count, DateTimeOffset First, DateTimeOffset Last, IReadOnlyList<string>? Notes);

/// <summary>Recorded traffic the proposal does not allow, and why.</summary>
public sealed record ProposalReviewEntry(string Program, string? Destination, string? Domain, int? Port, string? Proto, string Reason, long Count, DateTimeOffset First, DateTimeOffset Last)
{
    /// <summary>program → domain (address):port/proto: reason (seen N times, first …, last …)</summary>
    public override string ToString()
    {
        var to = Domain is { } d ? $"{d} ({Destination})" : Destination ?? "?";
        return $"{Program} → {to}{(Port is { } p ? ":" + p : "")}{(Proto is null ? "" : "/" + Proto)}: {Reason} (seen {(Count == 1 ? "once" : Count + " times")}, first {Stamp(First)}, last {Stamp(Last)})";
    }

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + "Z";
}
