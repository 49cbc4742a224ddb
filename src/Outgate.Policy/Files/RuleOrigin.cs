namespace Outgate.Policy;

/// <summary>Where a rule was written: the file and the 1-based line and column of its <c>[[rule]]</c> header.</summary>
public sealed record RuleOrigin(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
