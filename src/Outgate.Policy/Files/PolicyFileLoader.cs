namespace Outgate.Policy;

internal static class PolicyFileLoader
{
    public static PolicyLoadResult Load(string configDirectory) => throw new NotImplementedException();

    public static PolicyLoadResult FromFiles(string configDirectory, IReadOnlyList<PolicyFile> files) => throw new NotImplementedException();
}
