using System.Text;
using Outgate.Cli.Firewall;
using Outgate.Policy;

namespace Outgate.Cli.Bundles;

/// <summary>
/// Puts a bundle's files into the configuration directory: every file is first written and fsynced under
/// <c>CONFIG/.bundle-staging-PID/</c> (same file system, so the final step is renames only), the current policy files are
/// copied to <c>STATE/bundle-backup/TIME/</c>, then each staged file is renamed over its target and policy files the
/// bundle does not have (<c>outgate.toml</c>, <c>rules.d/*.toml</c>) are removed. Each file changes atomically; the set
/// changes within milliseconds. Other files in rules.d (lists, notes) are left alone.
/// </summary>
public static class BundleInstaller
{
    /// <returns>The backup directory, or null when there was nothing to back up.</returns>
    public static string? Install(FirewallPaths paths, IReadOnlyList<BundleFile> files, DateTimeOffset now)
    {
        var config = paths.ConfigDir;
        var stage = Path.Combine(config, $".bundle-staging-{Environment.ProcessId}");
        if (Directory.Exists(stage)) Directory.Delete(stage, recursive: true);
        Directory.CreateDirectory(Path.Combine(stage, PolicyFileSet.DropInDirectoryName));
        try
        {
            foreach (var f in files) WriteSynced(Path.Combine(stage, f.Name), f.Text);
            var backup = Backup(paths, now);
            Directory.CreateDirectory(Path.Combine(config, PolicyFileSet.DropInDirectoryName));
            foreach (var f in files) File.Move(Path.Combine(stage, f.Name), Path.Combine(config, f.Name), overwrite: true);
            var keep = files.Select(f => Path.Combine(config, f.Name)).ToHashSet(StringComparer.Ordinal);
            foreach (var existing in CurrentPolicyFiles(config))
                if (!keep.Contains(existing)) File.Delete(existing);
            return backup;
        }
        finally
        {
            if (Directory.Exists(stage)) Directory.Delete(stage, recursive: true);
        }
    }

    /// <summary>outgate.toml and rules.d/*.toml as the loader reads them.</summary>
    public static IEnumerable<string> CurrentPolicyFiles(string config)
    {
        var main = Path.Combine(config, PolicyFileSet.MainFileName);
        if (File.Exists(main)) yield return main;
        var dropIns = Path.Combine(config, PolicyFileSet.DropInDirectoryName);
        if (Directory.Exists(dropIns))
            foreach (var f in Directory.GetFiles(dropIns, "*.toml").Order(StringComparer.Ordinal)) yield return f;
    }

    private static string? Backup(FirewallPaths paths, DateTimeOffset now)
    {
        var current = CurrentPolicyFiles(paths.ConfigDir).ToArray();
        if (current.Length == 0) return null;
        var dir = Path.Combine(paths.StateDir, "bundle-backup", $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}");
        foreach (var file in current)
        {
            var target = Path.Combine(dir, Path.GetRelativePath(paths.ConfigDir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        return dir;
    }

    private static void WriteSynced(string path, string text)
    {
        using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        fs.Write(new UTF8Encoding(false).GetBytes(text));
        fs.Flush(flushToDisk: true);
    }
}
