using System.Text;
using Outgate.Cli.Connections;

namespace Outgate.Cli.Daemon;

/// <summary>
/// <c>outgate explain</c>'s text:
/// <code>
/// Verdict: deny
/// Decided by: rule 3
///   line one of the daemon's reasoning
///   line two
/// </code>
/// </summary>
public static class ExplanationText
{
    public static string Format(Explanation e)
    {
        var sb = new StringBuilder();
        sb.Append("Verdict: ").Append(Printable.Escape(e.Verdict)).Append('\n');
        if (e.DecidedBy is { Length: > 0 } by) sb.Append("Decided by: ").Append(Printable.Escape(by)).Append('\n');
        foreach (var line in e.Lines ?? []) sb.Append("  ").Append(Printable.Escape(line)).Append('\n');
        return sb.ToString();
    }
}
