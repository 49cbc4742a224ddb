namespace Outgate.Policy;

internal static class UfwCommandParser
{
    public static UfwParseResult<UfwCommand> Parse(IReadOnlyList<string> tokens) => throw new NotImplementedException();
}
