using System.Buffers.Binary;

namespace Outgate.Policy.Domains;

/// <summary>
/// A closed interval of addresses, <see cref="First"/> to <see cref="Last"/> as big-endian numbers (IPv4 in the low
/// 32 bits). <see cref="ToString"/> writes it as an nft interval set element: an address, a prefix when the range is
/// exactly one, otherwise <c>first-last</c>.
/// </summary>
public readonly record struct AddressRange(UInt128 First, UInt128 Last, bool IsIPv6)
{
    public bool Contains(UInt128 address) => address >= First && address <= Last;

    /// <inheritdoc />
    public override string ToString()
    {
        var bits = IsIPv6 ? 128 : 32;
        var size = Last - First; // one less than the count
        if (size == 0) return Format(First);
        var hostBits = size == UInt128.MaxValue ? 128 : 128 - (int)UInt128.LeadingZeroCount(size + 1) - 1;
        var isPrefix = size != UInt128.MaxValue && UInt128.IsPow2(size + 1) && (First & size) == 0;
        if (size == UInt128.MaxValue) isPrefix = true;
        return isPrefix ? $"{Format(First)}/{bits - hostBits}" : $"{Format(First)}-{Format(Last)}";
    }

    private string Format(UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(IsIPv6 ? bytes : bytes[12..]).ToString();
    }
}
