using Outgate.Linux.Netlink;

namespace Outgate.Linux.Tests.Netlink;

public class NetlinkMessageReaderTests
{
    [Fact]
    public void Reads_consecutive_messages_with_padding()
    {
        var buffer = NetlinkBytes.Concat(
            NetlinkBytes.Message(20, NetlinkConstants.NLM_F_MULTI, 7, [1, 2, 3]),
            NetlinkBytes.Message(NetlinkConstants.NLMSG_DONE, NetlinkConstants.NLM_F_MULTI, 7, [0, 0, 0, 0]));
        var reader = new NetlinkMessageReader(buffer);

        Assert.True(reader.TryRead(out var first));
        Assert.Equal(20, first.Type);
        Assert.Equal(7u, first.Sequence);
        Assert.Equal([1, 2, 3], first.Payload.ToArray());
        Assert.True(reader.TryRead(out var done));
        Assert.Equal(NetlinkConstants.NLMSG_DONE, done.Type);
        Assert.Equal(20, done.Offset);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void Accepts_a_last_message_without_trailing_padding()
    {
        var buffer = NetlinkBytes.Message(20, 0, 1, [9], pad: false);
        var reader = new NetlinkMessageReader(buffer);
        Assert.True(reader.TryRead(out var message));
        Assert.Equal([9], message.Payload.ToArray());
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void Empty_buffer_has_no_messages()
    {
        var reader = new NetlinkMessageReader([]);
        Assert.False(reader.TryRead(out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    public void Rejects_a_truncated_header(int length)
    {
        var ex = Assert.Throws<NetlinkParseException>(() => ReadAll(new byte[length]));
        Assert.Contains($"truncated netlink header: {length} of 16 bytes", ex.Message);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(15u)]
    public void Rejects_nlmsg_len_smaller_than_the_header_instead_of_looping(uint length)
    {
        var buffer = NetlinkBytes.Message(20, 0, 1, [0, 0, 0, 0], lyingLength: length);
        var ex = Assert.Throws<NetlinkParseException>(() => ReadAll(buffer));
        Assert.Contains($"nlmsg_len {length} is smaller", ex.Message);
    }

    [Theory]
    [InlineData(21u)]
    [InlineData(uint.MaxValue)]
    public void Rejects_nlmsg_len_beyond_the_buffer(uint length)
    {
        var buffer = NetlinkBytes.Message(20, 0, 1, [0, 0, 0, 0], lyingLength: length);
        var ex = Assert.Throws<NetlinkParseException>(() => ReadAll(buffer));
        Assert.Contains($"nlmsg_len {length} exceeds the 20 bytes left", ex.Message);
        Assert.Equal(0, ex.Offset);
    }

    [Fact]
    public void Reports_the_offset_of_the_bad_second_message()
    {
        var buffer = NetlinkBytes.Concat(NetlinkBytes.Message(20, 0, 1, [1, 2, 3, 4]), new byte[5]);
        var ex = Assert.Throws<NetlinkParseException>(() => ReadAll(buffer));
        Assert.Equal(20, ex.Offset);
        Assert.Contains("at byte 20", ex.Message);
    }

    private static int ReadAll(byte[] buffer)
    {
        var reader = new NetlinkMessageReader(buffer);
        var count = 0;
        while (reader.TryRead(out _)) count++;
        return count;
    }
}
