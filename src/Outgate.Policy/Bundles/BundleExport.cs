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
        droppedRules = 0;
        // Bounded: each round removes one rule.
        for (var round = set.Policy.Rules.Count; round > 0; round--)
        {
            var index = IndexOfLapsed(set.Policy.Rules, now, currentBootId);
            if (index < 0) break;
            var edit = set.DeleteRule(index + 1);
            if (!edit.Changed) break; // would leave an invalid policy: keep the rule rather than export nothing
            set = edit.FileSet;
            droppedRules++;
        }
        return [.. set.Files.Select(f => new BundleFile(Relative(set.ConfigDirectory, f.Path), f.Text))];
    }

    /// <summary>The files as they are (nothing dropped): what <c>outgate status</c> compares with the applied digest.</summary>
    public static IReadOnlyList<BundleFile> FilesAsIs(PolicyFileSet set) =>
        [.. set.Files.Select(f => new BundleFile(Relative(set.ConfigDirectory, f.Path), f.Text))];

    /// <summary>The digest a bundle of <paramref name="files"/> has (header excluded, so it does not depend on time or host).</summary>
    public static string Digest(IReadOnlyList<BundleFile> files) => PolicyBundle.Create(files, DateTimeOffset.UnixEpoch, "-").Digest;

    private static int IndexOfLapsed(IReadOnlyList<Rule> rules, DateTimeOffset now, string? bootId)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var r = rules[i];
            if (r.Expires is { } e && e <= now) return i;
            if (r.BootId is { } b && bootId is not null && b != bootId) return i;
        }
        return -1;
    }

    private static string Relative(string configDirectory, string path) =>
        Path.GetRelativePath(configDirectory, path).Replace(Path.DirectorySeparatorChar, '/');
}
