namespace Outgate.Policy.Import;

/// <summary>What <c>outgate import opensnitch DIR</c> reads and needs from the machine.</summary>
public sealed record OpenSnitchImportInput
{
    /// <summary>The <c>*.json</c> rule files of the rules directory (any order; rules are ordered by name as OpenSnitch does).</summary>
    public required IReadOnlyList<ImportSourceFile> RuleFiles { get; init; }

    /// <summary>
    /// The list files in a <c>lists.*</c> operator's directory (absolute paths, sorted), or null when the directory cannot be
    /// read. OpenSnitch loads every file in the directory; Outgate gets one <c>to list</c> rule per file.
    /// </summary>
    public Func<string, IReadOnlyList<string>?> ListFiles { get; init; } = _ => null;

    /// <summary>When the import runs: the start of <c>30m</c>-style durations.</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>This boot's id, for <c>until restart</c> rules (null: such rules are skipped).</summary>
    public string? BootId { get; init; }
}
