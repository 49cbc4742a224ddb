using Outgate.Linux.Dns;

namespace Outgate.Linux.Tests.Dns;

public class DnsTcpMessageFramerTests
{
    private static byte[] Framed(byte[] message) => [(byte)(message.Length >> 8), (byte)message.Length, .. message];

    [Fact]
    public void Splits_two_messages_in_one_segment_and_joins_one_split_across_segments()
    {
        var first = new DnsMessageBytes(id: 1).Question("one.example").A(DnsMessageBytes.Pointer(12), "192.0.2.1").ToArray();
        var second = new DnsMessageBytes(id: 2).Question("two.example").A(DnsMessageBytes.Pointer(12), "192.0.2.2").ToArray();
        byte[] stream = [.. Framed(first), .. Framed(second), .. Framed(first)];
        var framer = new DnsTcpMessageFramer();
        var ids = new List<ushort>();
        var cut = Framed(first).Length + Framed(second).Length + 1; // the third message's prefix is split
        foreach (var segment in new[] { stream[..cut], stream[cut..] })
        {
            Assert.True(framer.Append(segment));
            while (framer.TryTake(out var message))
            {
                Assert.True(DnsAnswerParser.TryParse(message.Span, out var answer, out _));
                ids.Add(answer.Id);
            }
        }
        Assert.Equal([1, 2, 1], ids);
        Assert.Equal(0, framer.Buffered);
    }

    [Fact]
    public void Too_much_pending_data_resets_instead_of_growing()
    {
        var framer = new DnsTcpMessageFramer();
        var junk = Enumerable.Repeat((byte)0xFF, 40_000).ToArray(); // declares a 65,535-byte message that never completes
        Assert.True(framer.Append(junk));
        Assert.False(framer.TryTake(out _));
        Assert.False(framer.Append(junk));
        Assert.Equal(0, framer.Buffered);
    }

    [Fact]
    public void A_message_fed_one_byte_at_a_time_comes_out_once_whole()
    {
        var message = new DnsMessageBytes(id: 7).Question("slow.example").A(DnsMessageBytes.Pointer(12), "192.0.2.7").ToArray();
        var framer = new DnsTcpMessageFramer();
        var taken = 0;
        foreach (var b in Framed(message))
        {
            Assert.True(framer.Append([b]));
            while (framer.TryTake(out var whole))
            {
                Assert.Equal(message, whole.ToArray());
                taken++;
            }
        }
        Assert.Equal(1, taken);
    }
}
