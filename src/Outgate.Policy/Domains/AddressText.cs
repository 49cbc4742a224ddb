using System.Buffers.Binary;

namespace Outgate.Policy.Domains;

/// <summary>IP addresses written in list files, read from bytes. IPv4 must be four dotted decimals (no "10.1" shorthand).</summary>
internal static class AddressText
{
    /// <summary>Cheap test for "this token is an address, not a name": a colon, or digits and exactly three dots.</summary>
    public static bool LooksLikeAddress(ReadOnlySpan<byte> token) =>
        token.IndexOf((byte)':') >= 0 || (token.Count((byte)'.') == 3 && token.IndexOfAnyExcept("0123456789."u8) < 0);

    /// <summary>Parses an IPv4 or IPv6 address; the value is the address as a big-endian number, IPv4 in the low 32 bits.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out UInt128 value, out bool isIPv6)
    {
        value = 0;
        isIPv6 = text.IndexOf((byte)':') >= 0;
        if (!isIPv6) return TryParseIPv4(text, out value);
        if (text.Length > 45 || text.IndexOfAny("%[]"u8) >= 0) return false;
        Span<char> chars = stackalloc char[text.Length];
        for (var i = 0; i < text.Length; i++) chars[i] = (char)text[i];
        Span<byte> bytes = stackalloc byte[16];
        if (!IPAddress.TryParse(chars, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 ||
            !address.TryWriteBytes(bytes, out _)) return false;
        value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }

    private static bool TryParseIPv4(ReadOnlySpan<byte> text, out UInt128 value)
    {
        value = 0;
        uint result = 0;
        var parts = 0;
        while (true)
        {
            var dot = text.IndexOf((byte)'.');
            var part = dot < 0 ? text : text[..dot];
            if (part.Length is 0 or > 3) return false;
            uint octet = 0;
            foreach (var b in part)
            {
                if (!char.IsAsciiDigit((char)b)) return false;
                octet = (octet * 10) + (uint)(b - '0');
            }

            if (octet > 255) return false;
            result = (result << 8) | octet;
            parts++;
            if (dot < 0) break;
            text = text[(dot + 1)..];
        }

        value = result;
        return parts == 4;
    }
}
