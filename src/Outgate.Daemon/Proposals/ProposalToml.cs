using System.Globalization;
using System.Text;
using Outgate.Policy;

namespace Outgate.Daemon.Proposals;

/// <summary>
/// A proposal as a complete <c>outgate.toml</c>: a header saying where it came from, <c>[defaults]</c> with outgoing deny
/// (an allow-list means nothing under default allow), then one <c>[[rule]]</c> per proposed rule with its evidence as
/// TOML comments above it and as the rule's own comment (which <c>outgate status</c> shows). Written here rather than by
/// the policy library's internal writer so the comments can sit above each table; <see cref="PolicyFileSet.FromFiles"/>
/// reads it back (the endpoint checks that before answering).
/// </summary>
public static class ProposalToml
{
    public static string Write(Proposal proposal, ProposalSettings settings)
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"# Proposed by `outgate policy propose` at {PolicyProposer.Stamp(settings.Now)}\n")
            .Append(CultureInfo.InvariantCulture, $"# from {proposal.Connections} recorded connections since {PolicyProposer.Stamp(settings.Since)}: ")
            .Append(CultureInfo.InvariantCulture, $"{proposal.Proposed} covered by the {proposal.Rules.Count} rules below, {proposal.Reviewed} left for review, {proposal.Loopback} loopback (always allowed).\n")
            .Append("# Review every rule, then try it: `outgate policy simulate THIS_FILE` replays the recorded traffic against it.\n");
        foreach (var note in proposal.Notes) b.Append("# Note: ").Append(Line(note)).Append('\n');
        b.Append('\n')
            .Append("[defaults]\n")
            .Append("incoming = \"deny\"\n")
            .Append("# An allow-list: what no rule below allows is refused.\n")
            .Append("outgoing = \"deny\"\n")
            .Append("routed = \"disabled\"\n");

        string? section = null;
        foreach (var proposed in proposal.Rules)
        {
            var subject = SubjectText(proposed.Rule.Subject!);
            if (subject != section)
            {
                b.Append('\n').Append("# ── ").Append(Line(subject)).Append(" ──\n");
                section = subject;
            }

            b.Append('\n');
            b.Append(CultureInfo.InvariantCulture, $"# {proposed.Purpose}: seen {PolicyProposer.Times(proposed.Count)}, first {PolicyProposer.Stamp(proposed.First)}, last {PolicyProposer.Stamp(proposed.Last)}\n");
            foreach (var note in proposed.Notes) b.Append("# ").Append(Line(note)).Append('\n');
            b.Append(RuleTable(proposed.Rule));
        }

        if (proposal.Review.Count > 0)
        {
            b.Append("\n# Not proposed (review these; `outgate policy propose --json` lists them all):\n");
            foreach (var item in proposal.Review.Take(50))
                b.Append("#   ").Append(Line(ReviewLine(item))).Append('\n');
            if (proposal.Review.Count > 50 || proposal.ReviewOmitted > 0)
                b.Append(CultureInfo.InvariantCulture, $"#   … and {proposal.Review.Count - Math.Min(50, proposal.Review.Count) + proposal.ReviewOmitted} more\n");
        }

        return b.ToString();
    }

    /// <summary>One review item as a line: program → destination: reason (count, first, last).</summary>
    public static string ReviewLine(ReviewItem item)
    {
        var to = item.Domain is { } d ? $"{d} ({item.Destination})" : item.Destination ?? "?";
        var port = item.Port is { } p ? $":{p}" : "";
        return $"{item.Program} → {to}{port}{(item.Proto is null ? "" : "/" + item.Proto)}: {item.Reason} (seen {PolicyProposer.Times(item.Count)}, first {PolicyProposer.Stamp(item.First)}, last {PolicyProposer.Stamp(item.Last)})";
    }

    public static string SubjectText(RuleSubject subject)
    {
        var parts = new List<string>();
        if (subject.Unit is { } unit) parts.Add("unit " + unit);
        if (subject.Container is { } container) parts.Add("container " + container);
        if (subject.App is { } app) parts.Add("app " + app);
        if (subject.User is { } user) parts.Add("user " + user);
        return string.Join(", ", parts);
    }

    public static string RuleTable(Rule rule)
    {
        var b = new StringBuilder("[[rule]]\n");
        b.Append("action = \"allow\"\n").Append("direction = \"out\"\n");
        if (rule.Subject is { } s)
        {
            if (s.Unit is { } unit) b.Append("unit = ").Append(Quoted(unit)).Append('\n');
            if (s.Container is { } container) b.Append("container = ").Append(Quoted(container)).Append('\n');
            if (s.App is { } app) b.Append("app = ").Append(Quoted(app)).Append('\n');
            if (s.Sha256 is { } hash) b.Append("sha256 = ").Append(Quoted(hash)).Append('\n');
            if (s.User is { } user) b.Append("user = ").Append(Quoted(user)).Append('\n');
        }

        if (rule.Protocol != Protocol.Any) b.Append("proto = ").Append(Quoted(rule.Protocol == Protocol.Udp ? "udp" : "tcp")).Append('\n');
        if (rule.To is { } to) b.Append("to = ").Append(Quoted(AddressSyntax.Format(to))).Append('\n');
        if (rule.ToDomain is { } domain) b.Append("to_domain = ").Append(Quoted(domain.ToString())).Append('\n');
        if (rule.ToPort is { } ports) b.Append("to_port = ").Append(ports.IsSinglePort ? ports.ToString() : Quoted(ports.ToString())).Append('\n');
        if (rule.Comment is { } comment) b.Append("comment = ").Append(Quoted(comment)).Append('\n');
        return b.ToString();
    }

    /// <summary>A TOML basic string; control characters escaped so a hostile name cannot end the line.</summary>
    public static string Quoted(string value)
    {
        var b = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                default:
                    if (char.IsControl(c)) b.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else b.Append(c);
                    break;
            }
        }

        return b.Append('"').ToString();
    }

    /// <summary>Text for a comment line: control characters (a newline would end the comment) shown as '?'.</summary>
    private static string Line(string text) => string.Create(text.Length, text, (span, t) =>
    {
        for (var i = 0; i < t.Length; i++) span[i] = char.IsControl(t[i]) ? '?' : t[i];
    });
}
