namespace Outgate.Cli.Daemon;

/// <summary>
/// One connection held until someone answers (<c>GET /v1/prompts</c>). Everything but the id may be
/// missing: a process can exit before the daemon reads it, and a newer daemon may drop fields.
/// </summary>
public sealed record PendingPrompt
{
    public long Id { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public int? Pid { get; init; }
    public string? Exe { get; init; }
    public string? CommandLine { get; init; }
    public string? User { get; init; }
    public uint? Uid { get; init; }
    public string? Unit { get; init; }
    public string? Container { get; init; }
    public string? Proto { get; init; }
    public string? Dst { get; init; }
    public int? DstPort { get; init; }
    public string? Domain { get; init; }

    /// <summary>Connections of the same program to the same destination held behind this prompt.</summary>
    public int Waiting { get; init; }

    /// <summary>What happens when nobody answers before <see cref="ExpiresAt"/>.</summary>
    public string? DefaultVerdict { get; init; }
}
