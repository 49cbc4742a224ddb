namespace Outgate.Cli.Daemon;

/// <summary>
/// One event from <c>/v1/events</c> (and each line of <c>outgate log --json</c>). Types and
/// severities stay strings so a newer daemon's new kinds still print.
/// </summary>
public sealed record EventRecord
{
    public long Id { get; init; }
    public DateTimeOffset Time { get; init; }
    public string Type { get; init; } = "";
    public string Severity { get; init; } = "";
    public string? Message { get; init; }
    public int? Pid { get; init; }
    public string? Exe { get; init; }
    public uint? Uid { get; init; }
    public string? User { get; init; }
    public string? Unit { get; init; }
    public string? Container { get; init; }
    public string? Proto { get; init; }
    public string? Src { get; init; }
    public int? SrcPort { get; init; }
    public string? Dst { get; init; }
    public int? DstPort { get; init; }
    public string? Domain { get; init; }
    public string? Verdict { get; init; }
    public string? Rule { get; init; }
    public long? BytesOut { get; init; }
    public long? BytesIn { get; init; }

    /// <summary>Comma-separated labels: no-dns, dot, doh.</summary>
    public string? Tags { get; init; }

    /// <summary>An alert's evidence: key=value pairs separated by "; ".</summary>
    public string? Details { get; init; }
}
