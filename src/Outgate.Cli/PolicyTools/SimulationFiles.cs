using Outgate.Policy;

namespace Outgate.Cli.PolicyTools;

/// <summary>
/// A candidate policy read from disk for simulation: the first file plays <c>outgate.toml</c>, the rest
/// <c>rules.d</c> drop-ins in the order given, whatever they are called; a directory is a whole config directory.
/// Validated here with the same loader outgated uses, so bad files fail with file:line:col before anything is sent.
/// </summary>
public sealed class SimulationFiles
{
    /// <summary>The largest policy file read (a real one is kilobytes).</summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    // Never read: only makes the first file "the main file" for the loader, whatever its real name.
    private const string VirtualDirectory = "/nonexistent/outgate-candidate";

    private SimulationFiles(IReadOnlyList<SimulationFile> files, FirewallPolicy policy) => (Files, Policy) = (files, policy);

    /// <summary>The files as sent to outgated (display name = the path given).</summary>
    public IReadOnlyList<SimulationFile> Files { get; }

    public FirewallPolicy Policy { get; }

    /// <summary>Reads <paramref name="paths"/> (files, or one configuration directory); every problem goes to <paramref name="errors"/>.</summary>
    public static SimulationFiles? TryRead(IReadOnlyList<string> paths, List<string> errors)
    {
        if (paths.Count == 1 && Directory.Exists(paths[0])) return TryReadDirectory(paths[0], errors);
        var files = new List<SimulationFile>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                errors.Add($"{path}: is a directory; give either one configuration directory or policy files, not both");
                continue;
            }
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists) { errors.Add($"{path}: no such file; give the candidate policy's path (e.g. candidate.toml)"); continue; }
                if (info.Length > MaxFileBytes) { errors.Add($"{path}: {info.Length} bytes is too large for a policy file (limit {MaxFileBytes / (1024 * 1024)} MiB)"); continue; }
                files.Add(new SimulationFile(path, File.ReadAllText(path)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{path}: cannot read it: {ex.Message}");
            }
        }
        if (errors.Count > 0) return null;
        var policy = Validate(files, errors);
        return policy is null ? null : new SimulationFiles(files, policy);
    }

    private static SimulationFiles? TryReadDirectory(string directory, List<string> errors)
    {
        PolicyLoadResult result;
        try
        {
            result = PolicyFileSet.Load(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{directory}: cannot read it: {ex.Message}");
            return null;
        }
        if (!result.Succeeded)
        {
            errors.AddRange(result.Errors.Select(e => e.ToString()).DefaultIfEmpty($"{directory}: the policy could not be loaded"));
            return null;
        }
        var set = result.FileSet!;
        var files = set.Files.Select(f => new SimulationFile(f.Path, f.Text)).ToList();
        // A directory without outgate.toml is the default policy plus drop-ins: send an empty main file first.
        var main = Path.Combine(directory, PolicyFileSet.MainFileName);
        if (files.Count == 0 || files[0].Name != main) files.Insert(0, new SimulationFile(main, ""));
        return new SimulationFiles(files, set.Policy);
    }

    /// <summary>The merged policy of <paramref name="files"/>, or null with every error (file:line:col) added to <paramref name="errors"/>.</summary>
    public static FirewallPolicy? Validate(IReadOnlyList<SimulationFile> files, List<string> errors)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var virtualFiles = new List<PolicyFile>();
        for (var i = 0; i < files.Count; i++)
        {
            var path = i == 0
                ? Path.Combine(VirtualDirectory, PolicyFileSet.MainFileName)
                : Path.Combine(VirtualDirectory, PolicyFileSet.DropInDirectoryName, $"{i:D4}.toml");
            names[path] = files[i].Name;
            virtualFiles.Add(new PolicyFile(path, files[i].Text));
        }
        var result = PolicyFileSet.FromFiles(VirtualDirectory, virtualFiles);
        if (result.Succeeded) return result.FileSet!.Policy;
        errors.AddRange(result.Errors.Select(e => (e with { File = names.GetValueOrDefault(e.File, e.File) }).ToString())
            .DefaultIfEmpty($"{files[0].Name}: the policy could not be loaded"));
        return null;
    }
}
