using Outgate.Cli.Firewall;
using Outgate.Policy;

namespace Outgate.Cli.Bundles;

/// <summary>
/// <c>STATE/applied-bundle.sha256</c>: the digest of the last bundle <c>outgate apply</c> wrote, one line of hex. Because
/// apply writes the bundle's files byte for byte, the digest of the files as they are equals it until someone edits them.
/// </summary>
public static class AppliedBundleFile
{
    public static string PathIn(FirewallPaths paths) => Path.Combine(paths.StateDir, "applied-bundle.sha256");

    public static void Record(FirewallPaths paths, string digest) => AtomicFile.Write(PathIn(paths), digest + "\n");

    /// <summary>The recorded digest and when it was written, or null when no bundle was applied (or the file is unreadable).</summary>
    public static (string Digest, DateTime AppliedUtc)? TryRead(FirewallPaths paths)
    {
        try
        {
            var path = PathIn(paths);
            var text = File.ReadAllText(path).Trim();
            return text.Length == 64 ? (text, File.GetLastWriteTimeUtc(path)) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>outgate status</c>'s lines from this folder: the applied bundle (nothing when none was applied) and an
    /// <c>enforce --confirm-within</c> waiting for <c>outgate confirm</c>.
    /// </summary>
    public static void WriteStatus(TextWriter output, FirewallPaths paths, PolicyFileSet current)
    {
        if (new ModeRollbackGuard(paths).IsPending)
        {
            output.WriteLine();
            output.WriteLine("A switch to enforce mode is waiting for `outgate confirm`; without it the previous mode comes back.");
        }
        if (TryRead(paths) is not { } applied) return;
        var same = BundleExport.Digest(BundleExport.FilesAsIs(current)) == applied.Digest;
        output.WriteLine();
        output.WriteLine($"Policy bundle: sha256 {applied.Digest} applied {applied.AppliedUtc:yyyy-MM-dd HH:mm:ss} UTC "
            + (same ? "(policy files unchanged since)" : "(policy files changed since; `outgate export` shows their digest)"));
    }
}
