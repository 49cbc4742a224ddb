namespace Outgate.Policy;

/// <summary>
/// A bundle that cannot be used: wrong magic or version, a digest that does not match its content, a bad file marker,
/// a name outside the configuration directory, invalid UTF-8. The only exception <see cref="PolicyBundle.Parse"/> throws.
/// <see cref="Exception.Message"/> reads <c>SOURCE:LINE: error: what (hint: how to fix)</c>.
/// </summary>
public sealed class BundleFormatException : Exception
{
    public BundleFormatException(string source, int line, string what, string hint)
        : base($"{source}:{line}: error: {what} (hint: {hint})")
    {
        Source = source;
        Line = line;
        What = what;
        Hint = hint;
    }

    /// <summary>The bundle's path (or <c>&lt;stdin&gt;</c>).</summary>
    public new string Source { get; }

    /// <summary>1-based line of the problem.</summary>
    public int Line { get; }

    public string What { get; }

    public string Hint { get; }

    /// <summary>True when the content no longer hashes to the header's digest (edited or truncated).</summary>
    public bool IsDigestMismatch { get; init; }
}
