namespace Outgate.Policy;

/// <summary>
/// A problem with ufw-style command tokens. <see cref="Token"/> is the offending token (null when one is missing),
/// <see cref="TokenIndex"/> its index in the token list given to the parser (-1 when none).
/// <see cref="ToString"/> prints like ufw: <c>ERROR: Bad port '70000': ports are 1-65535</c> then the hint on its own line.
/// </summary>
public sealed record UfwError(string Message, string? Hint = null, string? Token = null, int TokenIndex = -1)
{
    /// <inheritdoc />
    public override string ToString() => Hint is null ? $"ERROR: {Message}" : $"ERROR: {Message}\nHint: {Hint}";
}
