using System.Buffers.Binary;
using System.Net;
using CsCheck;
using Outgate.Linux.Conntrack;
using Outgate.Linux.Tests.Netlink;

namespace Outgate.Linux.Tests.Conntrack;

public class ConntrackEventParserTests
{
    private static byte[] Be16(ushort v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16BigEndian(b, v); return b; }
    private static byte[] Be32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, v); return b; }
    private static byte[] Be64(ulong v) { var b = new byte[8]; BinaryPrimitives.WriteUInt64BigEndian(b, v); return b; }
    private static byte[] Nested(ushort type, params byte[][] parts) => NetlinkBytes.Attribute((ushort)(type | 0x8000), NetlinkBytes.Concat(parts));

    private static byte[] Tuple(string src, string dst, ushort sport, ushort dport) => NetlinkBytes.Concat(
        Nested(ConntrackConstants.CTA_TUPLE_IP,
            NetlinkBytes.Attribute(ConntrackConstants.CTA_IP_V4_SRC, IPAddress.Parse(src).GetAddressBytes()),
            NetlinkBytes.Attribute(ConntrackConstants.CTA_IP_V4_DST, IPAddress.Parse(dst).GetAddressBytes())),
        Nested(ConntrackConstants.CTA_TUPLE_PROTO,
            NetlinkBytes.Attribute(ConntrackConstants.CTA_PROTO_NUM, [6]),
            NetlinkBytes.Attribute(ConntrackConstants.CTA_PROTO_SRC_PORT, Be16(sport)),
            NetlinkBytes.Attribute(ConntrackConstants.CTA_PROTO_DST_PORT, Be16(dport))));

    /// <summary>A DESTROY event laid out as ctnetlink_conntrack_event builds it.</summary>
    internal static byte[] DestroyPayload() => NetlinkBytes.Concat(
        [2, 0, 0, 0], // nfgenmsg: AF_INET, v0, res_id 0
        Nested(ConntrackConstants.CTA_TUPLE_ORIG, Tuple("10.1.0.1", "10.1.0.2", 40000, 80)),
        Nested(ConntrackConstants.CTA_TUPLE_REPLY, Tuple("10.1.0.2", "10.1.0.1", 80, 40000)),
        NetlinkBytes.Attribute(ConntrackConstants.CTA_STATUS, Be32(0x18e)),
        Nested(ConntrackConstants.CTA_COUNTERS_ORIG,
            NetlinkBytes.Attribute(ConntrackConstants.CTA_COUNTERS_PACKETS, Be64(12)),
            NetlinkBytes.Attribute(ConntrackConstants.CTA_COUNTERS_BYTES, Be64(10_640))),
        Nested(ConntrackConstants.CTA_COUNTERS_REPLY,
            NetlinkBytes.Attribute(ConntrackConstants.CTA_COUNTERS_PACKETS, Be64(8)),
            NetlinkBytes.Attribute(ConntrackConstants.CTA_COUNTERS_BYTES, Be64(420))),
        Nested(ConntrackConstants.CTA_TIMESTAMP,
            NetlinkBytes.Attribute(ConntrackConstants.CTA_TIMESTAMP_START, Be64(1_000)),
            NetlinkBytes.Attribute(ConntrackConstants.CTA_TIMESTAMP_STOP, Be64(2_000))),
        NetlinkBytes.Attribute(ConntrackConstants.CTA_MARK, Be32(42)),
        NetlinkBytes.Attribute(ConntrackConstants.CTA_ID, Be32(0xdeadbeef)));

    [Fact]
    public void Parses_a_destroy_event_with_counters_and_timestamps()
    {
        Assert.True(ConntrackEventParser.TryParse(ConntrackConstants.DeleteMessageType, 0, DestroyPayload(), out var e));
        Assert.Equal(ConntrackEventType.Destroy, e.Type);
        Assert.Equal("proto 6 10.1.0.1:40000 -> 10.1.0.2:80", e.Original.ToString());
        Assert.Equal((ushort)80, e.Reply.SourcePort);
        Assert.Equal(new ConntrackCounters(12, 10_640), e.OriginalCounters);
        Assert.Equal(new ConntrackCounters(8, 420), e.ReplyCounters);
        Assert.Equal((42u, 0xdeadbeefu, 0x18eu), (e.Mark, e.Id, e.Status));
        Assert.Equal((1_000ul, 2_000ul), (e.StartNanoseconds, e.StopNanoseconds));
    }

    [Fact]
    public void NEW_with_create_flag_is_new_and_without_is_an_update()
    {
        Assert.True(ConntrackEventParser.TryParse(ConntrackConstants.NewMessageType, ConntrackConstants.NLM_F_CREATE | ConntrackConstants.NLM_F_EXCL, DestroyPayload(), out var created));
        Assert.Equal(ConntrackEventType.New, created.Type);
        Assert.True(ConntrackEventParser.TryParse(ConntrackConstants.NewMessageType, 0, DestroyPayload(), out var updated));
        Assert.Equal(ConntrackEventType.Update, updated.Type);
        Assert.False(ConntrackEventParser.TryParse(0x0300, 0, DestroyPayload(), out _));
    }

    [Fact]
    public void Truncated_and_mutated_events_never_throw()
    {
        var payload = DestroyPayload();
        for (var length = 0; length < payload.Length; length++)
            ConntrackEventParser.TryParse(ConntrackConstants.DeleteMessageType, 0, payload.AsSpan(0, length), out _);
        Gen.Select(Gen.Int[0, payload.Length - 1], Gen.Byte).Array[1, 12].Sample(mutations =>
        {
            var copy = (byte[])payload.Clone();
            foreach (var (at, value) in mutations) copy[at] = value;
            ConntrackEventParser.TryParse(ConntrackConstants.DeleteMessageType, 0, copy, out _);
        }, iter: 20_000);
    }
}
