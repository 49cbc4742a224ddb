using System.Diagnostics.CodeAnalysis;

namespace Outgate.Linux.Nftables;

/// <summary>Checks table families and names before they are spliced into an nft command.</summary>
public static class NftNames
{
    private static readonly string[] Families = ["ip", "ip6", "inet", "arp", "bridge", "netdev"];

    public static void Validate(string family, string name)
    {
        if (!Families.Contains(family)) ThrowBadFamily(family);
        if (name.Length is 0 or > 255 || !char.IsAsciiLetter(name[0]) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
            ThrowBadName(name);
    }

    [DoesNotReturn]
    private static void ThrowBadFamily(string family) =>
        throw new ArgumentException($"unknown nftables family '{family}' (expected one of {string.Join(", ", Families)})", nameof(family));

    [DoesNotReturn]
    private static void ThrowBadName(string name) =>
        throw new ArgumentException($"'{name}' is not a valid nftables table name (letters, digits, _ - . ; starts with a letter)", nameof(name));
}
