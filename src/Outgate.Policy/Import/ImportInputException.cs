namespace Outgate.Policy.Import;

/// <summary>
/// An import source that cannot be read as what it claims to be (not text, truncated or mistyped JSON, a malformed ufw tuple,
/// too large). The only exception the importers throw for bad input; nothing may be written when it is thrown.
/// </summary>
public sealed class ImportInputException : Exception
{
    /// <summary>Creates the exception; <paramref name="line"/> is 1-based, 0 when unknown.</summary>
    public ImportInputException(string file, int line, string problem, string hint)
        : base(line > 0 ? $"{file}:{line}: error: {problem} (hint: {hint})" : $"{file}: error: {problem} (hint: {hint})")
    {
        File = file;
        Line = line;
        Problem = problem;
        Hint = hint;
    }

    /// <summary>The file (or <c>-</c> for standard input).</summary>
    public string File { get; }

    /// <summary>1-based line, 0 when not known.</summary>
    public int Line { get; }

    /// <summary>What is wrong, quoting the bad value.</summary>
    public string Problem { get; }

    /// <summary>How to fix it.</summary>
    public string Hint { get; }
}
