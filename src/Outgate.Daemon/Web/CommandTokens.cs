using System.Text;

namespace Outgate.Daemon.Web;

/// <summary>
/// Splits a command typed into the dashboard's rule editor the way a POSIX shell would split it for
/// <c>outgate</c>: whitespace separates, '…' and "…" quote, backslash escapes. So a rule copied from
/// <c>outgate status</c> (which shell-quotes globs and spaces) means the same in both places.
/// A leading <c>sudo</c> and <c>outgate</c> are dropped.
/// </summary>
public static class CommandTokens
{
    public static bool TrySplit(string text, out List<string> tokens, out string error)
    {
        tokens = [];
        error = "";
        var current = new StringBuilder();
        var inToken = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'') quote = '\0'; else current.Append(c);
                continue;
            }
            if (quote == '"')
            {
                if (c == '"') quote = '\0';
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') current.Append(text[++i]);
                else current.Append(c);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (inToken) { tokens.Add(current.ToString()); current.Clear(); inToken = false; }
                continue;
            }
            inToken = true;
            if (c is '\'' or '"') quote = c;
            else if (c == '\\' && i + 1 < text.Length) current.Append(text[++i]);
            else current.Append(c);
        }
        if (quote != '\0')
        {
            error = $"unterminated {(quote == '\'' ? "single" : "double")} quote in '{Options.DaemonCommandLine.Escape(text)}'";
            return false;
        }
        if (inToken) tokens.Add(current.ToString());
        if (tokens.Count > 0 && tokens[0] == "sudo") tokens.RemoveAt(0);
        if (tokens.Count > 0 && tokens[0] == "outgate") tokens.RemoveAt(0);
        return true;
    }
}
