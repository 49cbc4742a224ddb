namespace Outgate.Policy;

internal static class PolicyFileWriter
{
    public static void WriteAll(IReadOnlyList<PolicyFileWrite> writes, bool changed) => throw new NotImplementedException();
}
