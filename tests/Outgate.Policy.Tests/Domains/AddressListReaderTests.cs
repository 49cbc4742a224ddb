using System.Net;
using System.Text;
using CsCheck;
using Outgate.Policy.Domains;

namespace Outgate.Policy.Tests.Domains;

public sealed class AddressListReaderTests
{
    private static AddressListLoadResult Read(string text) =>
        AddressListReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "firehol_level1.netset");

    [Fact]
    public void Reads_a_FireHOL_netset_with_comments_and_merges_overlapping_and_touching_ranges()
    {
        var result = Read("""
            #
            # firehol_level1
            #
            10.0.0.0/25
            10.0.0.128/25
            10.0.0.7
            192.0.2.10-192.0.2.20
            192.0.2.15-192.0.2.30 ; overlaps the range above
            198.51.100.0/24 # comment
            2001:db8::/32
            2001:db8:1::1
            0.0.0.0/8
            """);
        Assert.Equal(0, result.BadLines);
        Assert.Equal(9, result.Entries);
        Assert.Equal(["0.0.0.0/8", "10.0.0.0/24", "192.0.2.10-192.0.2.30", "198.51.100.0/24"], result.Set.IPv4.Select(r => r.ToString()));
        Assert.Equal(["2001:db8::/32"], result.Set.IPv6.Select(r => r.ToString()));
        Assert.True(result.Set.Contains(IPAddress.Parse("10.0.0.200")));
        Assert.False(result.Set.Contains(IPAddress.Parse("10.0.1.0")));
        Assert.True(result.Set.Contains(IPAddress.Parse("2001:db8:ffff::1")));
    }

    [Fact]
    public void Host_bits_are_cleared_and_counted()
    {
        var result = Read("10.1.2.3/8\n2001:db8::1/64\n");
        Assert.Equal(2, result.HostBitsCleared);
        Assert.Equal("10.0.0.0/8", Assert.Single(result.Set.IPv4).ToString());
        Assert.Equal("2001:db8::/64", Assert.Single(result.Set.IPv6).ToString());
    }

    [Theory]
    [InlineData("10.0.0.256", "not an IP address")]
    [InlineData("10.1", "not an IP address")]
    [InlineData("10.0.0.0/33", "bad prefix length (use 0-32)")]
    [InlineData("2001:db8::/129", "bad prefix length (use 0-128)")]
    [InlineData("10.0.0.9-10.0.0.1", "ends before it starts")]
    [InlineData("10.0.0.1-2001:db8::1", "mixes IPv4 and IPv6")]
    [InlineData("example.com", "not an IP address")]
    public void Bad_entries_are_warned_about_by_line(string entry, string expected)
    {
        var result = Read("192.0.2.1\n" + entry + "\n");
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(2, warning.Line);
        Assert.Contains(expected, warning.Message, StringComparison.Ordinal);
        Assert.Contains(entry, warning.Message, StringComparison.Ordinal);
        Assert.Single(result.Set.IPv4);
    }

    [Fact]
    public void Merged_ranges_are_sorted_disjoint_and_cover_exactly_the_entries()
    {
        Gen.Select(Gen.UInt[0, 4000], Gen.UInt[0, 40]).Array[0, 60].Sample(ranges =>
        {
            var builder = new AddressRangeSetBuilder();
            foreach (var (start, length) in ranges) builder.Add(new AddressRange(start, start + length, false));
            var set = builder.Build();
            for (var i = 1; i < set.IPv4.Count; i++) Assert.True(set.IPv4[i].First > set.IPv4[i - 1].Last + 1);
            for (uint address = 0; address < 4100; address += 7)
            {
                var expected = ranges.Any(r => address >= r.Item1 && address <= r.Item1 + r.Item2);
                Assert.Equal(expected, set.IPv4.Any(r => r.Contains(address)));
            }
        }, iter: 2_000);
    }

    [Fact]
    public void Random_text_never_throws()
    {
        var pieces = Gen.OneOf(Gen.Const("10."), Gen.Const("0"), Gen.Const("255"), Gen.Const("/"), Gen.Const("-"), Gen.Const(":"), Gen.Const("::"),
            Gen.Const("\n"), Gen.Const("#"), Gen.Const(";"), Gen.Const("."), Gen.String[0, 4]);
        pieces.Array[0, 40].Sample(parts => { Read(string.Concat(parts)); }, iter: 5_000);
    }
}
