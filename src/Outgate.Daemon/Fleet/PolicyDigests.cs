using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Policy;

namespace Outgate.Daemon.Fleet;

/// <summary>
/// The digests the fleet view compares across hosts: the policy files as they are (the digest <c>outgate export</c>
/// and <c>outgate status</c> use, <see cref="BundleExport.FilesAsIs"/>) and the last bundle <c>outgate apply</c> recorded
/// in <c>STATE_DIR/applied-bundle.sha256</c>. The first is recomputed only when the live policy's generation changes.
/// </summary>
public sealed class PolicyDigests(DaemonOptions options, LivePolicy live)
{
    public const string AppliedFileName = "applied-bundle.sha256";

    private long _generation = -1;
    private string? _files;

    /// <summary>sha256 of the policy files as loaded now; null when they do not load.</summary>
    public string? Files()
    {
        var generation = live.Current.Generation;
        if (generation == Volatile.Read(ref _generation)) return _files;
        string? digest = null;
        try
        {
            var result = PolicyFileSet.Load(options.ConfigDirectory);
            if (result.Succeeded) digest = BundleExport.Digest(BundleExport.FilesAsIs(result.FileSet!));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        _files = digest;
        Volatile.Write(ref _generation, generation);
        return digest;
    }

    /// <summary>The applied bundle's digest (first line of STATE_DIR/applied-bundle.sha256), or null.</summary>
    public string? Applied()
    {
        try
        {
            var path = Path.Combine(options.StateDirectory, AppliedFileName);
            if (!File.Exists(path)) return null;
            var line = File.ReadLines(path).FirstOrDefault()?.Trim();
            return string.IsNullOrEmpty(line) ? null : line;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
