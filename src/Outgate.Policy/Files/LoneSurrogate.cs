namespace Outgate.Policy;

/// <summary>
/// Finds a UTF-16 surrogate without its partner. A file read from disk cannot hold one (UTF-8 decoding replaces bad bytes),
/// but text from the API (a JSON "\uD800") can, and Tomlyn throws on it instead of reporting a diagnostic.
/// </summary>
internal static class LoneSurrogate
{
    /// <summary>1-based line and column of the first lone surrogate; null when there is none.</summary>
    public static (int Line, int Column)? Find(string text)
    {
        int line = 1, lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return (line, i - lineStart + 1);
            }
        }
        return null;
    }
}
