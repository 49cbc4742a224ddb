namespace Outgate.Policy;

/// <summary>Shell-style wildcards over a whole string: <c>*</c> any run (also empty), <c>?</c> one character, no escapes.</summary>
internal static class Glob
{
    /// <summary>Greedy match that backtracks to the last <c>*</c> only: at worst pattern × text steps, never exponential on hostile patterns.</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]) && pattern[p] != '*')
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
