namespace Outgate.Daemon.Proposals;

/// <summary>What a proposal looks at and how.</summary>
public sealed record ProposalSettings
{
    /// <summary>Only connections recorded at or after this time count.</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>When the proposal is made (for the header).</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Pin executable subjects to the SHA-256 of the file as it is now (the events carry no hash). Default false.</summary>
    public bool Hashes { get; init; }

    /// <summary>How close in time an alert must be to a connection of the same program and destination to taint it. Default 10 minutes (the encrypted-DNS alert window).</summary>
    public TimeSpan AlertWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many review entries are returned (the rest are counted). Default 1000.</summary>
    public int MaxReview { get; init; } = 1000;
}
