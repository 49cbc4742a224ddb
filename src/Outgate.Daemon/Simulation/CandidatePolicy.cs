using Outgate.Policy;

namespace Outgate.Daemon.Simulation;

/// <summary>
/// A policy that is not in force: files given as text (the first is read as <c>outgate.toml</c>, the rest as
/// <c>rules.d</c> drop-ins in the order given), parsed and validated without touching the disk. Errors and rule
/// origins name the files as their sender did.
/// </summary>
public sealed class CandidatePolicy
{
    /// <summary>Upper bounds for untrusted input: more files or text than any real policy has.</summary>
    public const int MaxFiles = 1000;
    public const int MaxTotalChars = 32 * 1024 * 1024;

    // A directory that cannot exist, so nothing is ever read from or confused with a real config directory.
    private const string VirtualDirectory = "/nonexistent/outgate-candidate";

    private CandidatePolicy(FirewallPolicy policy, IReadOnlyList<RuleOrigin> origins) => (Policy, Origins) = (policy, origins);

    public FirewallPolicy Policy { get; }

    /// <summary>Where each rule was written, with the sender's file names.</summary>
    public IReadOnlyList<RuleOrigin> Origins { get; }

    /// <summary>Parses <paramref name="files"/>; on failure <paramref name="errors"/> lists every problem (file:line:col).</summary>
    public static CandidatePolicy? TryLoad(IReadOnlyList<CandidateFile> files, out IReadOnlyList<PolicyError> errors)
    {
        if (files.Count == 0)
        {
            errors = [new PolicyError("(request)", 1, 1, "no policy files given", "send at least the candidate outgate.toml")];
            return null;
        }
        if (files.Count > MaxFiles || files.Sum(f => (long)(f.Text?.Length ?? 0)) > MaxTotalChars)
        {
            errors = [new PolicyError("(request)", 1, 1, $"the candidate is too large (limit {MaxFiles} files, {MaxTotalChars / (1024 * 1024)} MiB of text)", "simulate a smaller policy")];
            return null;
        }
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var virtualFiles = new List<PolicyFile>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var path = i == 0
                ? Path.Combine(VirtualDirectory, PolicyFileSet.MainFileName)
                : Path.Combine(VirtualDirectory, PolicyFileSet.DropInDirectoryName, $"{i:D4}.toml");
            names[path] = string.IsNullOrWhiteSpace(files[i].Name) ? (i == 0 ? PolicyFileSet.MainFileName : $"drop-in {i}") : files[i].Name;
            virtualFiles.Add(new PolicyFile(path, files[i].Text ?? ""));
        }
        var result = PolicyFileSet.FromFiles(VirtualDirectory, virtualFiles);
        if (!result.Succeeded)
        {
            errors = result.Errors.Select(e => e with { File = names.GetValueOrDefault(e.File, e.File) }).ToList();
            if (errors.Count == 0) errors = [new PolicyError(names[virtualFiles[0].Path], 1, 1, "the candidate policy could not be loaded")];
            return null;
        }
        errors = [];
        var set = result.FileSet!;
        return new CandidatePolicy(set.Policy, set.Origins.Select(o => o with { File = names.GetValueOrDefault(o.File, o.File) }).ToList());
    }
}
