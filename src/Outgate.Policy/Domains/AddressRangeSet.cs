using System.Buffers.Binary;
using System.Net.Sockets;

namespace Outgate.Policy.Domains;

/// <summary>
/// Sorted, disjoint, non-adjacent address ranges per family: exactly what an nft interval set wants (overlapping
/// or touching elements make <c>nft</c> refuse the whole transaction). Immutable; see <see cref="AddressRangeSetBuilder"/>.
/// </summary>
public sealed class AddressRangeSet
{
    internal AddressRangeSet(AddressRange[] ipv4, AddressRange[] ipv6)
    {
        IPv4 = ipv4;
        IPv6 = ipv6;
    }

    public static AddressRangeSet Empty { get; } = new([], []);

    public IReadOnlyList<AddressRange> IPv4 { get; }

    public IReadOnlyList<AddressRange> IPv6 { get; }

    /// <summary>Binary search in the address's family.</summary>
    public bool Contains(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return Contains((AddressRange[])IPv4, BinaryPrimitives.ReadUInt32BigEndian(bytes));
        return written == 16 && Contains((AddressRange[])IPv6, BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    private static bool Contains(AddressRange[] ranges, UInt128 value)
    {
        int low = 0, high = ranges.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            if (value < ranges[middle].First) high = middle - 1;
            else if (value > ranges[middle].Last) low = middle + 1;
            else return true;
        }

        return false;
    }
}
