using System.Buffers.Binary;
using CsCheck;
using Outgate.Linux.Netlink;

namespace Outgate.Linux.Tests.Netlink;

/// <summary>
/// Untrusted bytes reach the readers only as <see cref="NetlinkParseException"/> or skipped data:
/// never another exception, never a hang (the walkers assert that every step advances).
/// </summary>
public class NetlinkReaderFuzzTests
{
    [Fact]
    public void Random_garbage_gives_messages_or_a_parse_error() =>
        Gen.Byte.Array[0, 600].Sample(bytes => WalkEverything(bytes), iter: 20_000);

    [Fact]
    public void Random_garbage_as_attributes_gives_attributes_or_a_parse_error() =>
        Gen.Byte.Array[0, 300].Sample(bytes => WalkAttributes(bytes, depth: 0), iter: 20_000);

    [Fact]
    public void Lying_nlmsg_len_in_a_valid_stream_gives_a_parse_error_or_a_shorter_message() =>
        Gen.Select(Gen.Int[1, 6], Gen.UInt, Gen.Int[0, 5]).Sample((count, lie, which) =>
        {
            var parts = Enumerable.Range(0, count).Select(i => NetlinkBytes.Message(20, NetlinkConstants.NLM_F_MULTI, 1, new byte[i * 5])).ToArray();
            var buffer = NetlinkBytes.Concat(parts);
            var at = parts.Take(Math.Min(which, count - 1)).Sum(p => p.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(at), lie);
            WalkEverything(buffer);
        }, iter: 20_000);

    [Fact]
    public void Lying_nla_len_gives_a_parse_error_or_other_attributes() =>
        Gen.Select(Gen.Int[1, 6], Gen.UShort, Gen.Int[0, 5]).Sample((count, lie, which) =>
        {
            var parts = Enumerable.Range(0, count).Select(i => NetlinkBytes.Attribute((ushort)i, new byte[i * 3])).ToArray();
            var buffer = NetlinkBytes.Concat(parts);
            var at = parts.Take(Math.Min(which, count - 1)).Sum(p => p.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(at), lie);
            WalkAttributes(buffer, depth: 0);
        }, iter: 20_000);

    [Fact]
    public void Well_formed_streams_with_unknown_types_read_back_exactly() =>
        Gen.Select(Gen.UShort, Gen.Byte.Array[0, 40]).Array[0, 10].Sample(items =>
        {
            var buffer = NetlinkBytes.Concat(items.Select(i => NetlinkBytes.Attribute((ushort)(i.Item1 & nlattr.NLA_TYPE_MASK), i.Item2)).ToArray());
            var reader = new NetlinkAttributeReader(buffer);
            foreach (var (type, payload) in items)
            {
                Assert.True(reader.TryRead(out var attribute));
                Assert.Equal(type & nlattr.NLA_TYPE_MASK, attribute.Type);
                Assert.True(attribute.Payload.SequenceEqual(payload));
            }
            Assert.False(reader.TryRead(out _));
        }, iter: 5_000);

    [Fact]
    public void Extended_ack_of_a_garbled_error_message_never_throws() =>
        Gen.Select(Gen.Byte.Array[0, 200], Gen.UShort).Sample((payload, flags) =>
        {
            var buffer = NetlinkBytes.Message(NetlinkConstants.NLMSG_ERROR, (ushort)(flags | NetlinkConstants.NLM_F_ACK_TLVS), 1, payload);
            var reader = new NetlinkMessageReader(buffer);
            Assert.True(reader.TryRead(out var message));
            _ = NetlinkSocket.ReadExtendedAckMessage(message);
        }, iter: 20_000);

    [Fact]
    public void Extended_ack_message_is_read_after_the_capped_request()
    {
        var payload = NetlinkBytes.Concat(BitConverter.GetBytes(-22), new byte[16], NetlinkBytes.Attribute(NetlinkConstants.NLMSGERR_ATTR_MSG, "bad family\0"u8));
        var buffer = NetlinkBytes.Message(NetlinkConstants.NLMSG_ERROR, NetlinkConstants.NLM_F_CAPPED | NetlinkConstants.NLM_F_ACK_TLVS, 1, payload);
        var reader = new NetlinkMessageReader(buffer);
        Assert.True(reader.TryRead(out var message));
        Assert.Equal("bad family", NetlinkSocket.ReadExtendedAckMessage(message));
    }

    internal static void WalkEverything(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new NetlinkMessageReader(bytes);
            var guard = 0;
            while (reader.TryRead(out var message))
            {
                Assert.True(++guard <= bytes.Length / 16, "reader did not advance");
                if (message.Type == NetlinkConstants.NLMSG_ERROR) _ = NetlinkSocket.ReadExtendedAckMessage(message);
                WalkAttributes(message.Payload, depth: 0);
            }
        }
        catch (NetlinkParseException)
        {
        }
    }

    internal static void WalkAttributes(ReadOnlySpan<byte> bytes, int depth)
    {
        try
        {
            var reader = new NetlinkAttributeReader(bytes);
            var guard = 0;
            while (reader.TryRead(out var attribute))
            {
                Assert.True(++guard <= bytes.Length / 4, "reader did not advance");
                if (depth < 4) WalkAttributes(attribute.Payload, depth + 1);
            }
        }
        catch (NetlinkParseException)
        {
        }
    }
}
