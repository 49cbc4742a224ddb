using System.Security.Cryptography;

namespace Outgate.Policy;

/// <summary>The parser behind <see cref="PolicyBundle.Parse"/>: a cursor over the bundle's bytes that knows its line number.</summary>
internal sealed class BundleReader
{
    private readonly string _source;

    public BundleReader(string source) => _source = source;

    public PolicyBundle Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > PolicyBundle.MaxBytes)
            Throw(1, $"the bundle is {bytes.Length} bytes, more than the {PolicyBundle.MaxBytes >> 20} MiB a policy bundle may have", "this is not an outgate policy bundle; export one with `outgate export`");
        if (bytes.Length == 0)
            Throw(1, "the bundle is empty", "export one with `outgate export --output FILE`");

        var pos = 0;
        var magic = NextLine(bytes, ref pos, 1);
        if (magic != PolicyBundle.Magic)
        {
            if (magic.EndsWith('\r'))
                Throw(1, "the bundle has CRLF line ends", "it was converted by an editor or a transfer in text mode; copy it in binary mode or export it again");
            if (magic.StartsWith("# outgate-bundle ", StringComparison.Ordinal))
                Throw(1, $"unsupported bundle format '{Quote.Escape(magic[2..])}'", "this outgate reads 'outgate-bundle v1'; export the bundle again with this version");
            Throw(1, $"not an outgate bundle: the first line is '{Clip(magic)}', expected '{PolicyBundle.Magic}'", "give the file `outgate export` wrote");
        }

        var digestLine = NextLine(bytes, ref pos, 2);
        const string DigestPrefix = "# sha256: ";
        var digest = digestLine.StartsWith(DigestPrefix, StringComparison.Ordinal) ? digestLine[DigestPrefix.Length..] : null;
        if (digest is null || digest.Length != 64 || !digest.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            Throw(2, $"line 2 must be '# sha256: ' and 64 lowercase hex digits, found '{Clip(digestLine)}'", "the header was edited; export the bundle again");

        var createdLine = NextLine(bytes, ref pos, 3);
        const string CreatedPrefix = "# created: ";
        if (!createdLine.StartsWith(CreatedPrefix, StringComparison.Ordinal)
            || !DateTimeOffset.TryParseExact(createdLine[CreatedPrefix.Length..], "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created))
        {
            Throw(3, $"line 3 must be '# created: YYYY-MM-DDTHH:MM:SSZ', found '{Clip(createdLine)}'", "the header was edited; export the bundle again");
            return null!;
        }

        var hostLine = NextLine(bytes, ref pos, 4);
        const string HostPrefix = "# host: ";
        if (!hostLine.StartsWith(HostPrefix, StringComparison.Ordinal))
            Throw(4, $"line 4 must be '# host: NAME', found '{Clip(hostLine)}'", "the header was edited; export the bundle again");

        var body = bytes[pos..];
        var actual = PolicyBundle.Hex(SHA256.HashData(body));
        if (actual != digest)
        {
            throw new BundleFormatException(_source, 2,
                $"digest in header {digest}, content hashes to {actual}: the bundle was edited or truncated",
                $"export it again; `tail -n +5 {_source} | sha256sum` shows the content's hash")
            { IsDigestMismatch = true };
        }

        var files = ReadFiles(bytes, pos);
        return new PolicyBundle(files, digest, created, hostLine[HostPrefix.Length..]);
    }

    private List<BundleFile> ReadFiles(ReadOnlySpan<byte> bytes, int pos)
    {
        var files = new List<BundleFile>();
        var line = PolicyBundle.HeaderLines + 1;
        while (true)
        {
            if (pos >= bytes.Length)
                Throw(line, "the bundle ends without its '# --- end: N files ---' line", "it was cut short; export it again");
            var markerLine = line;
            var marker = NextLine(bytes, ref pos, line++);
            if (marker.StartsWith(PolicyBundle.EndMarkerStart, StringComparison.Ordinal))
            {
                var expected = $"{PolicyBundle.EndMarkerStart}{files.Count.ToString(CultureInfo.InvariantCulture)} files ---";
                if (marker != expected)
                    Throw(markerLine, $"the end line is '{Clip(marker)}' but the bundle holds {files.Count} files ('{expected}')", "the bundle was edited; export it again");
                if (pos != bytes.Length)
                    Throw(line, "there is text after the end line", "the bundle was edited; export it again");
                return files;
            }
            if (!TryParseMarker(marker, out var name, out var length))
                Throw(markerLine, $"expected a file marker '# --- file: NAME (N bytes) ---' or the end line, found '{Clip(marker)}'", "the bundle was edited; export it again");
            if (!BundleNames.IsValid(name))
                Throw(markerLine, $"'{Quote.Escape(name)}' is not a policy file name", $"a bundle carries only {PolicyFileSet.MainFileName} and {PolicyFileSet.DropInDirectoryName}/NAME.toml (NAME of letters, digits and . _ - + @)");
            if (files.Count > 0 && BundleNames.Compare(files[^1].Name, name) >= 0)
                Throw(markerLine, $"'{name}' comes after '{files[^1].Name}'", $"files must be in load order ({PolicyFileSet.MainFileName} first, then drop-ins sorted), each once");
            if (files.Count >= PolicyBundle.MaxFiles)
                Throw(markerLine, $"more than {PolicyBundle.MaxFiles} files", "split the policy into fewer drop-ins");
            if (length > bytes.Length - pos - 1)
                Throw(markerLine, $"'{name}' should have {length} bytes but only {Math.Max(0, bytes.Length - pos - 1)} follow", "the bundle was cut short; export it again");
            var content = bytes.Slice(pos, length);
            if (bytes[pos + length] != (byte)'\n')
                Throw(markerLine, $"'{name}' is not followed by a newline after its {length} bytes", "the byte count does not match the text; export the bundle again");
            string text;
            try
            {
                text = PolicyBundle.Utf8.GetString(content);
            }
            catch (DecoderFallbackException)
            {
                Throw(markerLine, $"'{name}' is not valid UTF-8", "policy files are UTF-8 text; fix the file and export again");
                return files;
            }
            files.Add(new BundleFile(name, text, line));
            line += content.Count((byte)'\n') + 1;
            pos += length + 1;
        }
    }

    private static bool TryParseMarker(string marker, out string name, out int length)
    {
        name = "";
        length = 0;
        const string End = " bytes) ---";
        if (!marker.StartsWith(PolicyBundle.FileMarkerStart, StringComparison.Ordinal) || !marker.EndsWith(End, StringComparison.Ordinal)) return false;
        var inner = marker[PolicyBundle.FileMarkerStart.Length..^End.Length];
        var open = inner.LastIndexOf(" (", StringComparison.Ordinal);
        if (open <= 0) return false;
        var digits = inner[(open + 2)..];
        if (digits.Length is 0 or > 9 || !digits.All(char.IsAsciiDigit)) return false;
        name = inner[..open];
        length = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>The next line without its "\n"; a header or marker line is short, so a missing "\n" within 4 KiB is an error.</summary>
    private string NextLine(ReadOnlySpan<byte> bytes, ref int pos, int line)
    {
        var rest = bytes[pos..];
        var end = rest.IndexOf((byte)'\n');
        if (end < 0)
            Throw(line, pos >= bytes.Length ? "the bundle ends here, a line is missing" : "the line does not end (no newline)", "the bundle was cut short; export it again");
        if (end > 4096)
            Throw(line, "the line is longer than 4096 bytes", "this is not an outgate bundle header or file marker; export the bundle again");
        pos += end + 1;
        try
        {
            return PolicyBundle.Utf8.GetString(rest[..end]);
        }
        catch (DecoderFallbackException)
        {
            Throw(line, "the line is not valid UTF-8", "this is not an outgate bundle; export it again");
            return "";
        }
    }

    private static string Clip(string s) => Quote.Escape(s.Length > 80 ? s[..80] + "…" : s);

    [DoesNotReturn]
    private void Throw(int line, string what, string hint) => throw new BundleFormatException(_source, line, what, hint);
}
