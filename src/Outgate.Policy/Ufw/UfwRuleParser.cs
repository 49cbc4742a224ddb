namespace Outgate.Policy;

internal static class UfwRuleParser
{
    public static UfwParseResult<Rule> Parse(IReadOnlyList<string> tokens, int start) => throw new NotImplementedException();
}
