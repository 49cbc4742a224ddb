namespace Outgate.Policy.Import;

/// <summary>
/// One input file's text, already checked to be bounded, valid UTF-8 text without NUL bytes. The CLI reads the bytes;
/// the importers only see this (the policy library does no I/O).
/// </summary>
public sealed record ImportSourceFile
{
    /// <summary>Largest input file accepted (ufw rule files and OpenSnitch rules are a few KiB; lists are not read here).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    private ImportSourceFile(string path, string text)
    {
        Path = path;
        Text = text;
    }

    /// <summary>Where the text came from, used in every message.</summary>
    public string Path { get; }

    /// <summary>The text.</summary>
    public string Text { get; }

    /// <summary>Wraps text that is already known to be good (tests, standard input after <see cref="FromBytes"/>).</summary>
    public static ImportSourceFile FromText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
        {
            ThrowTooLarge(path, text.Length);
        }

        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            ThrowBinary(path, LineOf(text, nul));
        }

        return new ImportSourceFile(path, text);
    }

    /// <summary>Decodes <paramref name="bytes"/> strictly; throws <see cref="ImportInputException"/> for binary, non-UTF-8 or oversized input.</summary>
    public static ImportSourceFile FromBytes(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (bytes.Length > MaxBytes)
        {
            ThrowTooLarge(path, bytes.Length);
        }

        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            ThrowBinary(path, 1 + bytes[..nul].Count((byte)'\n'));
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var at = Math.Clamp(ex.Index, 0, bytes.Length);
            throw new ImportInputException(path, 1 + bytes[..at].Count((byte)'\n'), "the file is not UTF-8 text",
                "give the text file ufw or OpenSnitch wrote, not a binary or differently encoded copy");
        }

        return new ImportSourceFile(path, text.StartsWith('\uFEFF') ? text[1..] : text);
    }

    internal static int LineOf(string text, int index) => 1 + text.AsSpan(0, Math.Min(index, text.Length)).Count('\n');

    [DoesNotReturn]
    private static void ThrowTooLarge(string path, long length) =>
        throw new ImportInputException(path, 0, $"the file is {length} bytes, more than the {MaxBytes} accepted",
            "give the rule files themselves; ufw and OpenSnitch rule files are a few KiB");

    [DoesNotReturn]
    private static void ThrowBinary(string path, int line) =>
        throw new ImportInputException(path, line, "the file contains NUL bytes, so it is binary, not a rule file",
            "give the text file ufw or OpenSnitch wrote");
}
