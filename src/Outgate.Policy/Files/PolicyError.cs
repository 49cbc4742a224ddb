namespace Outgate.Policy;

/// <summary>
/// One problem in a policy file, at a 1-based line and column. <see cref="ToString"/> gives
/// <c>path:line:column: error: message (hint: ...)</c>, the format compilers use so editors can jump to it.
/// </summary>
public sealed record PolicyError(string File, int Line, int Column, string Message, string? Hint = null)
{
    /// <inheritdoc />
    public override string ToString()
        => Hint is null
            ? $"{File}:{Line}:{Column}: error: {Message}"
            : $"{File}:{Line}:{Column}: error: {Message} (hint: {Hint})";
}
