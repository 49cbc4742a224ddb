namespace Outgate.Policy.Domains;

/// <summary>
/// Collects the warnings of one list file. Only the first <see cref="MaxKept"/> are kept as text, so a
/// million-line file of garbage costs a counter, not a million strings.
/// </summary>
internal sealed class ListWarnings(string file)
{
    public const int MaxKept = 100;
    private readonly List<ListWarning> _kept = [];

    public string File { get; } = file;

    public int Count { get; private set; }

    /// <summary>Counts a bad line; true when its text is still wanted (then call <see cref="Keep"/>), so no string is made for the rest.</summary>
    public bool Note() => ++Count <= MaxKept;

    public void Keep(int line, string message) => _kept.Add(new ListWarning(File, line, message));

    public void AddSummary(string message) => _kept.Add(new ListWarning(File, 0, message));

    public IReadOnlyList<ListWarning> ToList()
    {
        if (Count > MaxKept) _kept.Add(new ListWarning(File, 0, $"{Count - MaxKept} more bad lines not shown"));
        return _kept;
    }

    /// <summary>Most candidate lines bad: likely the wrong file or the wrong format, worth one loud line.</summary>
    public static bool LooksMalformed(int bad, int good) => bad >= 10 && bad > good;

    public static string Escape(ReadOnlySpan<byte> text) => Quote.Escape(Encoding.UTF8.GetString(text.Length > 100 ? text[..100] : text));
}
