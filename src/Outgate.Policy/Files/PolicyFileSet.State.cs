namespace Outgate.Policy;

public sealed partial class PolicyFileSet
{
    internal PolicyFileSet(string configDirectory, FirewallPolicy policy, IReadOnlyList<RuleOrigin> origins, IReadOnlyList<PolicyFile> files)
    {
        ConfigDirectory = configDirectory;
        Policy = policy;
        Origins = origins;
        Files = files;
    }
}
