namespace Outgate.Policy.Import;

/// <summary>Whether an input item was left out or translated with a change worth knowing.</summary>
public enum ImportNoteKind
{
    /// <summary>Not translated: the item is missing from the written policy (exit code 1).</summary>
    Skipped,
    /// <summary>Translated, but not word for word (e.g. a comment lost a quote, a rule was reordered); informational.</summary>
    Adjusted,
}

/// <summary>One input item the import could not (fully) translate: where it is, what it is, and why.</summary>
/// <param name="Source">The file the item came from.</param>
/// <param name="Line">1-based line in <paramref name="Source"/>, 0 when the format has no useful line (JSON rule files).</param>
/// <param name="Item">The item as written (a ufw tuple, an OpenSnitch rule name), control characters escaped.</param>
/// <param name="Reason">Why, and what to do about it.</param>
/// <param name="Kind">Skipped or adjusted.</param>
public sealed record ImportNote(string Source, int Line, string Item, string Reason, ImportNoteKind Kind = ImportNoteKind.Skipped)
{
    /// <inheritdoc />
    public override string ToString()
        => $"{Source}{(Line > 0 ? $":{Line}" : "")}: {(Kind == ImportNoteKind.Skipped ? "skipped" : "note")}: {Item}: {Reason}";
}
