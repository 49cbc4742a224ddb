namespace Outgate.Policy.Import;

/// <summary>
/// What an importer made of its input: the rules in evaluation order, the defaults and logging level the input set
/// (null where it said nothing), and a note for every item not translated word for word.
/// </summary>
public sealed record ImportedPolicy
{
    /// <summary>Translated rules, first match first.</summary>
    public IReadOnlyList<ImportedRule> Rules { get; init; } = [];

    /// <summary>Default policy per direction the input set; directions it did not mention are absent.</summary>
    public IReadOnlyDictionary<Direction, DefaultPolicy> Defaults { get; init; } = new Dictionary<Direction, DefaultPolicy>();

    /// <summary>Logging level the input set, null when it did not.</summary>
    public LogLevel? Logging { get; init; }

    /// <summary>Items skipped or adjusted, in input order.</summary>
    public IReadOnlyList<ImportNote> Notes { get; init; } = [];

    /// <summary>True when some item was left out (the CLI exits 1).</summary>
    public bool SkippedAny => Notes.Any(n => n.Kind == ImportNoteKind.Skipped);
}
