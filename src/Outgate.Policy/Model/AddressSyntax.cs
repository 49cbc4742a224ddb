namespace Outgate.Policy;

/// <summary>
/// ufw address syntax: <c>any</c>, an IPv4 or IPv6 address, or a CIDR (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>, also
/// <c>10.0.0.0/255.0.0.0</c>). Host bits are cleared like the kernel does (<c>10.0.0.1/8</c> becomes <c>10.0.0.0/8</c>);
/// a full-length prefix prints as the bare address.
/// </summary>
public static class AddressSyntax
{
    /// <summary>Parses <paramref name="text"/>; <c>any</c> gives a null <paramref name="network"/>.</summary>
    public static bool TryParse(string text, out IPNetwork? network, [NotNullWhen(false)] out string? error)
    {
        network = null;
        error = null;
        if (text.Equals("any", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!TryParseAddress(addressText, out var address))
        {
            error = $"Bad address '{Quote.Escape(text)}': use any, an IPv4 or IPv6 address, or a network like 10.0.0.0/8 or 2001:db8::/32";
            return false;
        }

        var maxPrefix = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (!TryParsePrefix(prefixText, maxPrefix, out prefix))
            {
                error = $"Bad prefix length '{Quote.Escape(prefixText)}' in '{Quote.Escape(text)}': use 0-{maxPrefix}" +
                    (maxPrefix == 32 ? " or a netmask like 255.255.0.0" : "");
                return false;
            }
        }

        network = new IPNetwork(Mask(address, prefix), prefix);
        return true;
    }

    /// <summary>Formats a network as ufw prints it: the bare address for a host, <c>addr/len</c> otherwise, <c>any</c> for null.</summary>
    public static string Format(IPNetwork? network)
    {
        if (network is not { } n)
        {
            return "any";
        }

        var full = n.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        return n.PrefixLength == full ? n.BaseAddress.ToString() : $"{n.BaseAddress}/{n.PrefixLength}";
    }

    /// <summary>The family of a network.</summary>
    public static AddressFamilies FamilyOf(IPNetwork network)
        => network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? AddressFamilies.IPv4 : AddressFamilies.IPv6;

    private static bool TryParseAddress(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            // IPv6: no zone ids, no brackets.
            if (text.Contains('%', StringComparison.Ordinal) || text.Contains('[', StringComparison.Ordinal) ||
                !IPAddress.TryParse(text, out address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                address = null;
                return false;
            }

            return true;
        }

        // IPv4: exactly four dotted decimals; IPAddress.TryParse alone would accept "10" or "10.1".
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            if (parts[i].Length is 0 or > 3 || !parts[i].All(char.IsAsciiDigit))
            {
                return false;
            }

            var value = int.Parse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return false;
            }

            bytes[i] = (byte)value;
        }

        address = new IPAddress(bytes);
        return true;
    }

    private static bool TryParsePrefix(string text, int maxPrefix, out int prefix)
    {
        prefix = 0;
        if (text.Length is > 0 and <= 3 && text.All(char.IsAsciiDigit))
        {
            prefix = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
            return prefix <= maxPrefix;
        }

        if (maxPrefix == 32 && TryParseAddress(text, out var mask))
        {
            var bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mask.GetAddressBytes());
            var ones = System.Numerics.BitOperations.LeadingZeroCount(~bits);
            if (ones < 32 && bits << ones != 0)
            {
                return false; // not contiguous
            }

            prefix = ones;
            return true;
        }

        return false;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF00 >> keep);
        }

        return new IPAddress(bytes);
    }
}
