namespace Outgate.Policy;

/// <summary>
/// The files of a loaded policy as they go into a bundle: names relative to the configuration directory, and
/// <c>--for</c> rules that no longer apply removed (expired, or <c>until reboot</c> of an earlier boot) with the same
/// text splice <c>outgate delete N</c> uses, so everything else stays byte-identical.
/// </summary>
public static class BundleExport
{
    /// <param name="currentBootId">This boot's id; null when unknown (then until-reboot rules are kept).</param>
    public static IReadOnlyList<BundleFile> Files(PolicyFileSet set, DateTimeOffset now, string? currentBootId, out int droppedRules)
    {
        // One pass per file, splicing from the last rule backwards so earlier spans stay valid, then one validation:
        // deleting rule by rule through PolicyFileSet.DeleteRule re-validated the whole policy each time (12 s for
        // 100 lapsed rules among 1,000).
        droppedRules = 0;
        var files = new List<PolicyFile>(set.Loaded.Count);
        foreach (var loaded in set.Loaded)
        {
            var text = loaded.File.Text;
            for (var i = loaded.RuleSpans.Count - 1; i >= 0; i--)
            {
                if (!Lapsed(loaded.Rules[i], now, currentBootId)) continue;
                text = WithoutSpan(text, loaded.RuleSpans[i]);
                droppedRules++;
            }
            files.Add(new PolicyFile(loaded.File.Path, text));
        }
        if (droppedRules > 0 && !PolicyFileSet.FromFiles(set.ConfigDirectory, files).Succeeded)
        {
            // Never export a policy that would not load: keep the lapsed rules (they do not apply anyway).
            droppedRules = 0;
            return FilesAsIs(set);
        }
        return [.. files.Select(f => new BundleFile(Relative(set.ConfigDirectory, f.Path), f.Text))];
    }

    /// <summary>The text without one [[rule]] table, taking one separating blank line with it (as <c>outgate delete N</c>).</summary>
    private static string WithoutSpan(string text, TextSpan span)
    {
        var (start, end) = (span.Start, span.End);
        if (end < text.Length && text[end] == '\n') end++;
        else if (end == text.Length && start >= 2 && text[start - 1] == '\n' && text[start - 2] == '\n') start--;
        return text[..start] + text[end..];
    }

    /// <summary>The files as they are (nothing dropped): what <c>outgate status</c> compares with the applied digest.</summary>
    public static IReadOnlyList<BundleFile> FilesAsIs(PolicyFileSet set) =>
        [.. set.Files.Select(f => new BundleFile(Relative(set.ConfigDirectory, f.Path), f.Text))];

    /// <summary>The digest a bundle of <paramref name="files"/> has (header excluded, so it does not depend on time or host).</summary>
    public static string Digest(IReadOnlyList<BundleFile> files) => PolicyBundle.Create(files, DateTimeOffset.UnixEpoch, "-").Digest;

    private static bool Lapsed(Rule rule, DateTimeOffset now, string? bootId) =>
        (rule.Expires is { } e && e <= now) || (rule.BootId is { } b && bootId is not null && b != bootId);

    private static string Relative(string configDirectory, string path) =>
        Path.GetRelativePath(configDirectory, path).Replace(Path.DirectorySeparatorChar, '/');
}
