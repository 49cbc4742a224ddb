namespace Outgate.Policy.Domains;

/// <summary>
/// A line of a domain or address list that was not used, and why. <see cref="ToString"/> gives
/// <c>file:line: warning: message</c> (line 0: about the whole file), the format editors jump to.
/// </summary>
public sealed record ListWarning(string File, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}: warning: {Message}" : $"{File}: warning: {Message}";
}
