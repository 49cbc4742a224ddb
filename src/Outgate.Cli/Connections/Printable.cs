using System.Text;

namespace Outgate.Cli.Connections;

/// <summary>Quotes untrusted text in messages and tables: control characters become \xNN so a crafted name cannot drive the terminal.</summary>
public static class Printable
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var clean = true;
        foreach (var c in text)
            if (char.IsControl(c)) { clean = false; break; }
        if (clean) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
            if (char.IsControl(c)) sb.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        return sb.ToString();
    }
}
