namespace Outgate.Policy;

/// <summary>Escapes user text for error messages so control characters cannot mangle a terminal.</summary>
internal static class Quote
{
    /// <summary>Returns <paramref name="text"/> with control characters as <c>\n</c>, <c>\t</c> or <c>\xNN</c>, cut at 80 characters.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Length > 80 ? text[..80] : text)
        {
            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => builder.Append(c),
            };
        }

        if (text.Length > 80)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }
}
