namespace Outgate.Policy.Domains;

/// <summary>Collects address ranges in any order, overlapping or not; <see cref="Build"/> sorts and merges them.</summary>
public sealed class AddressRangeSetBuilder
{
    private readonly List<AddressRange> _ipv4 = [];
    private readonly List<AddressRange> _ipv6 = [];

    public int Count => _ipv4.Count + _ipv6.Count;

    public void Add(AddressRange range)
    {
        if (range.Last < range.First) range = range with { First = range.Last, Last = range.First };
        (range.IsIPv6 ? _ipv6 : _ipv4).Add(range);
    }

    /// <summary>Adds <c>address/prefix</c> with the host bits cleared, the way the kernel reads it.</summary>
    public void AddPrefix(UInt128 address, int prefix, bool isIPv6)
    {
        var hostBits = (isIPv6 ? 128 : 32) - prefix;
        var hostMask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        Add(new AddressRange(address & ~hostMask, address | hostMask, isIPv6));
    }

    public AddressRangeSet Build() => new(Merge(_ipv4), Merge(_ipv6));

    private static AddressRange[] Merge(List<AddressRange> ranges)
    {
        var sorted = ranges.ToArray();
        Array.Sort(sorted, static (a, b) => a.First.CompareTo(b.First));
        var merged = new List<AddressRange>(sorted.Length);
        foreach (var range in sorted)
        {
            // Touching counts as overlapping: 10.0.0.0/25 and 10.0.0.128/25 become one 10.0.0.0/24 element.
            if (merged.Count > 0 && (merged[^1].Last == UInt128.MaxValue || range.First <= merged[^1].Last + 1))
            {
                if (range.Last > merged[^1].Last) merged[^1] = merged[^1] with { Last = range.Last };
                continue;
            }

            merged.Add(range);
        }

        return [.. merged];
    }
}
