namespace Outgate.Policy;

/// <summary>Cold-path throw helpers; messages quote the bad value with control characters escaped.</summary>
internal static class PolicyThrow
{
    [DoesNotReturn]
    public static void ArgumentEmpty(string parameter)
        => throw new ArgumentException("The collection must not be empty.", parameter);

    [DoesNotReturn]
    public static void RulePositionOutOfRange(int position, int count, string parameter)
        => throw new ArgumentOutOfRangeException(parameter, position, $"Rule position {position} is outside 1..{count}.");

    [DoesNotReturn]
    public static void InvalidRule(Rule rule, IReadOnlyList<string> problems)
        => throw new InvalidRuleException(rule, problems);

    [DoesNotReturn]
    public static void InvalidDomain(string text, string problem)
        => throw new InvalidRuleException($"Invalid domain '{Quote.Escape(text)}'", [problem]);

    [DoesNotReturn]
    public static T Unreachable<T>(object value)
        => throw new InvalidOperationException($"Unexpected value '{Quote.Escape(value.ToString() ?? "")}'.");
}
