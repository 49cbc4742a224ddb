namespace Outgate.Policy.Domains;

/// <summary>
/// The domain names lists may hold: ASCII letters, digits, '-' and '_' (seen in real names such as
/// <c>_dmarc.example.com</c>), labels of 1-63 characters, at most 253 characters, one trailing dot allowed.
/// Internationalised names must be written in their xn-- (punycode) form, as they travel in DNS.
/// </summary>
public static class DomainNameSyntax
{
    public const int MaxLength = 253;
    public const int MaxLabelLength = 63;

    /// <summary>Writes the lower-cased name without a trailing dot to <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes).</summary>
    public static DomainNameError Normalize(ReadOnlySpan<byte> name, Span<byte> destination, out int length)
    {
        length = 0;
        if (name.Length > 1 && name[^1] == (byte)'.') name = name[..^1];
        if (name.IsEmpty) return DomainNameError.Empty;
        if (name.Length > MaxLength) return DomainNameError.TooLong;
        var label = 0;
        foreach (var b in name)
        {
            if (b == (byte)'.')
            {
                if (label == 0) return DomainNameError.EmptyLabel;
                label = 0;
            }
            else if (++label > MaxLabelLength) return DomainNameError.LabelTooLong;
            else if (b >= 0x80) return DomainNameError.NotAscii;
            else if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_')) return DomainNameError.BadCharacter;
            destination[length++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
        }

        return label == 0 ? DomainNameError.EmptyLabel : DomainNameError.None;
    }

    /// <summary>A sentence for an admin, quoting the entry.</summary>
    public static string Describe(DomainNameError error, ReadOnlySpan<byte> name)
    {
        var quoted = Quote.Escape(Encoding.UTF8.GetString(name.Length > 100 ? name[..100] : name));
        return error switch
        {
            DomainNameError.Empty => "empty domain name",
            DomainNameError.TooLong => $"'{quoted}' is longer than {MaxLength} characters, which DNS cannot carry",
            DomainNameError.EmptyLabel => $"'{quoted}' has an empty label (two dots in a row, or a leading dot)",
            DomainNameError.LabelTooLong => $"'{quoted}' has a label longer than {MaxLabelLength} characters",
            DomainNameError.NotAscii => $"'{quoted}' is not ASCII; write internationalised names in their xn-- form",
            DomainNameError.BadCharacter => $"'{quoted}' is not a domain name (allowed: letters, digits, '-', '_' and dots)",
            _ => $"'{quoted}' is fine",
        };
    }
}
