using Outgate.Linux.Netlink;

namespace Outgate.Linux.Tests.Netlink;

public class NetlinkAttributeReaderTests
{
    [Fact]
    public void Reads_attributes_and_skips_padding()
    {
        var buffer = NetlinkBytes.Concat(NetlinkBytes.Attribute(4, [0x63]), NetlinkBytes.Attribute(2, [1, 2, 3, 4, 5, 6, 7, 8]));
        Assert.Equal(8 + 12, buffer.Length);
        var reader = new NetlinkAttributeReader(buffer);
        Assert.True(reader.TryRead(out var a));
        Assert.Equal(4, a.Type);
        Assert.Equal([0x63], a.Payload.ToArray());
        Assert.True(reader.TryRead(out var b));
        Assert.Equal(2, b.Type);
        Assert.Equal(8, b.Payload.Length);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void Masks_the_nested_and_byte_order_flags_off_the_type()
    {
        var buffer = NetlinkBytes.Attribute(0x8000 | 0x4000 | 7, [1, 0, 0, 0]);
        var reader = new NetlinkAttributeReader(buffer);
        Assert.True(reader.TryRead(out var a));
        Assert.Equal(7, a.Type);
        Assert.True(a.IsNested);
        Assert.True(a.IsNetworkByteOrder);
    }

    [Fact]
    public void Reads_nested_attributes()
    {
        var inner = NetlinkBytes.Concat(NetlinkBytes.Attribute(1, [1, 0, 0, 0]), NetlinkBytes.Attribute(2, [2, 0, 0, 0]));
        var buffer = NetlinkBytes.Attribute(0x8000 | 3, inner);
        var reader = new NetlinkAttributeReader(buffer);
        Assert.True(reader.TryRead(out var outer));
        var nested = outer.Nested();
        Assert.True(nested.TryRead(out var first));
        Assert.True(nested.TryRead(out var second));
        Assert.Equal((1, 2), (first.Type, second.Type));
        Assert.False(nested.TryRead(out _));
    }

    [Fact]
    public void Empty_payload_attribute_is_valid()
    {
        var reader = new NetlinkAttributeReader(NetlinkBytes.Attribute(5, []));
        Assert.True(reader.TryRead(out var a));
        Assert.Equal(0, a.Payload.Length);
        Assert.False(reader.TryRead(out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Rejects_nla_len_smaller_than_the_header_instead_of_looping(ushort length)
    {
        var buffer = NetlinkBytes.Attribute(9, [0, 0, 0, 0], lyingLength: length);
        var ex = Assert.Throws<NetlinkParseException>(() => ReadAll(buffer));
        Assert.Contains($"nla_len {length} of attribute type 9 is smaller", ex.Message);
    }

    [Fact]
    public void Rejects_nla_len_beyond_the_buffer()
    {
        var buffer = NetlinkBytes.Attribute(9, [0, 0, 0, 0], lyingLength: 9);
        var ex = Assert.Throws<NetlinkParseException>(() => ReadAll(buffer));
        Assert.Contains("nla_len 9 of attribute type 9 exceeds the 8 bytes left", ex.Message);
    }

    [Fact]
    public void Rejects_a_trailing_partial_attribute_header()
    {
        var buffer = NetlinkBytes.Concat(NetlinkBytes.Attribute(1, [1, 0, 0, 0]), [1, 2]);
        var ex = Assert.Throws<NetlinkParseException>(() => ReadAll(buffer));
        Assert.Equal(8, ex.Offset);
    }

    [Fact]
    public void TryFind_returns_the_first_match_and_skips_unknown_types()
    {
        var buffer = NetlinkBytes.Concat(NetlinkBytes.Attribute(200, [9, 9]), NetlinkBytes.Attribute(2, [5, 0, 0, 0]), NetlinkBytes.Attribute(2, [6, 0, 0, 0]));
        Assert.True(NetlinkAttributeReader.TryFind(buffer, 2, out var payload));
        Assert.Equal(5, payload[0]);
        Assert.False(NetlinkAttributeReader.TryFind(buffer, 3, out _));
    }

    private static int ReadAll(byte[] buffer)
    {
        var reader = new NetlinkAttributeReader(buffer);
        var count = 0;
        while (reader.TryRead(out _)) count++;
        return count;
    }
}
