namespace Outgate.Policy;

/// <summary>
/// Validates a bundle's files with the normal policy loader, as they would be in <c>configDirectory</c>, and points
/// every error into the bundle: <c>BUNDLE:LINE:COL: error: ... (in rules.d/x.toml line L)</c>.
/// </summary>
public static class BundleValidation
{
    public static PolicyLoadResult Load(PolicyBundle bundle, string configDirectory, string bundleSource)
    {
        var files = bundle.Files.Select(f => new PolicyFile(Path.Combine(configDirectory, f.Name), f.Text)).ToArray();
        var result = PolicyFileSet.FromFiles(configDirectory, files);
        if (result.Succeeded) return result;
        var byPath = bundle.Files.ToDictionary(f => Path.Combine(configDirectory, f.Name));
        var errors = result.Errors.Select(e => byPath.TryGetValue(e.File, out var f) && f.FirstLine > 0
            ? e with { File = bundleSource, Line = f.FirstLine + e.Line - 1, Message = $"{e.Message} (in {f.Name} line {e.Line})" }
            : e).ToArray();
        return new PolicyLoadResult(null, errors);
    }
}
