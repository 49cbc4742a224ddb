namespace Outgate.Policy;

public sealed partial class PolicyFileSet
{
    internal PolicyFileSet(string configDirectory, FirewallPolicy policy, IReadOnlyList<RuleOrigin> origins, IReadOnlyList<LoadedPolicyFile> loaded)
    {
        ConfigDirectory = configDirectory;
        Policy = policy;
        Origins = origins;
        Loaded = loaded;
        Files = loaded.Select(l => l.File).ToArray();
    }

    /// <summary>The parsed files in load order.</summary>
    internal IReadOnlyList<LoadedPolicyFile> Loaded { get; }

    /// <summary>Path of the main file.</summary>
    internal string MainPath => Path.Combine(ConfigDirectory, MainFileName);
}
