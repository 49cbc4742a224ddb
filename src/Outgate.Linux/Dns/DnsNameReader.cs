namespace Outgate.Linux.Dns;

/// <summary>
/// Reads (possibly compressed) domain names out of a DNS message with hard bounds: 127 labels, 255 wire bytes, 64
/// pointer jumps, and every pointer must point before the start of the name part it ends. That last rule makes loops
/// impossible (each jump lands strictly lower than the one before) and is what every real compressor already does.
/// </summary>
/// <remarks>
/// Worked example: <c>03 77 77 77 C0 0C</c> at offset 40 is "www" followed by a pointer to offset 12 (0xC00C with the
/// top two bits cleared), where the question name <c>07 65 78 61 6D 70 6C 65 03 63 6F 6D 00</c> ("example.com")
/// sits: the name is "www.example.com" and the record continues at offset 46, right after the pointer.
/// </remarks>
internal static class DnsNameReader
{
    public const int MaxLabels = 127;
    public const int MaxWireLength = 255;
    public const int MaxPointerJumps = 64;

    /// <summary>Room for the longest name in text form (253 characters) and then some.</summary>
    public const int TextBufferLength = 256;

    /// <summary>
    /// Reads the name at <paramref name="offset"/> into <paramref name="text"/> as lower-case dotted ASCII. <paramref name="end"/>
    /// is where the message continues after the name (after the first pointer, if any).
    /// </summary>
    /// <returns><see cref="DnsParseError.None"/>, <see cref="DnsParseError.TooShort"/> when the message ends inside the name, or the rule broken.</returns>
    public static DnsParseError Read(ReadOnlySpan<byte> message, int offset, Span<byte> text, out int textLength, out int end)
        => Walk(message, offset, text, followPointers: true, out textLength, out end);

    /// <summary>
    /// Steps over the name at <paramref name="offset"/> without following pointers or checking characters: enough for
    /// owner names of records we do not use. The in-place part still obeys the length and pointer-direction rules.
    /// </summary>
    public static DnsParseError Skip(ReadOnlySpan<byte> message, int offset, out int end)
        => Walk(message, offset, default, followPointers: false, out _, out end);

    private static DnsParseError Walk(ReadOnlySpan<byte> message, int offset, Span<byte> text, bool followPointers, out int textLength, out int end)
    {
        textLength = 0;
        end = -1;
        int position = offset, limit = offset, jumps = 0, wireLength = 1, labels = 0;
        while (true)
        {
            if ((uint)position >= (uint)message.Length) return DnsParseError.TooShort;
            var head = message[position];
            switch (head & 0xC0)
            {
                case 0x00:
                    if (head == 0)
                    {
                        if (end < 0) end = position + 1;
                        return DnsParseError.None;
                    }

                    if (++labels > MaxLabels) return DnsParseError.TooManyLabels;
                    wireLength += head + 1;
                    if (wireLength > MaxWireLength) return DnsParseError.NameTooLong;
                    if (followPointers)
                    {
                        if (position + 1 + head > message.Length) return DnsParseError.TooShort;
                        if (textLength > 0) text[textLength++] = (byte)'.';
                        foreach (var b in message.Slice(position + 1, head))
                        {
                            // Printable ASCII only, and no dot inside a label: "evil.com" as one label must not read as a name ending in evil.com.
                            if (b is <= 0x20 or >= 0x7F or (byte)'.') return DnsParseError.BadNameCharacter;
                            text[textLength++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
                        }
                    }

                    position += 1 + head;
                    break;
                case 0xC0:
                    if (position + 1 >= message.Length) return DnsParseError.TooShort;
                    var target = ((head & 0x3F) << 8) | message[position + 1];
                    if (end < 0) end = position + 2;
                    if (target >= message.Length) return DnsParseError.PointerOutOfRange;
                    if (target >= limit) return DnsParseError.PointerNotBackwards;
                    if (!followPointers) return DnsParseError.None;
                    if (++jumps > MaxPointerJumps) return DnsParseError.TooManyPointerJumps;
                    position = limit = target;
                    break;
                default:
                    return DnsParseError.ReservedLabelType;
            }
        }
    }
}
