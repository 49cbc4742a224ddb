namespace Outgate.Policy;

/// <summary>The outcome of parsing ufw tokens: a value, or every error found.</summary>
public sealed record UfwParseResult<T>(T? Value, IReadOnlyList<UfwError> Errors)
    where T : class
{
    /// <summary>True when parsing succeeded.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool Succeeded => Value is not null && Errors.Count == 0;
}
