namespace Outgate.Linux.ProcFs;

/// <summary>
/// Parses passwd(5) text (<c>name:password:uid:gid:gecos:home:shell</c>) into uid → name.
/// Comments, blank and malformed lines are skipped; the first name for a uid wins, as with getpwuid.
/// </summary>
public static class PasswdFileParser
{
    public static Dictionary<uint, string> Parse(string content)
    {
        var users = new Dictionary<uint, string>();
        if (string.IsNullOrEmpty(content)) return users;
        foreach (var range in content.AsSpan().Split('\n'))
        {
            var line = content.AsSpan()[range].TrimEnd('\r');
            if (TryParseLine(line, out var uid, out var name))
                users.TryAdd(uid, name);
        }
        return users;
    }

    public static bool TryParseLine(ReadOnlySpan<char> line, out uint uid, out string name)
    {
        uid = 0;
        name = "";
        if (line.IsEmpty || line[0] is '#' or '+' or '-') return false; // comments and NIS compat entries
        var c1 = line.IndexOf(':');
        if (c1 <= 0) return false;
        var afterName = line[(c1 + 1)..];
        var c2 = afterName.IndexOf(':');
        if (c2 < 0) return false;
        var afterPassword = afterName[(c2 + 1)..];
        var c3 = afterPassword.IndexOf(':');
        if (c3 <= 0) return false;
        var uidText = afterPassword[..c3];
        foreach (var c in uidText)
            if (!char.IsAsciiDigit(c)) return false;
        if (!uint.TryParse(uidText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uid)) return false;
        var userName = line[..c1];
        if (userName.ContainsAny(" \t\0")) return false;
        name = userName.ToString();
        return true;
    }
}
