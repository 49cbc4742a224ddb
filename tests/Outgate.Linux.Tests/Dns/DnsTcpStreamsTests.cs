using System.Buffers.Binary;
using CsCheck;
using Outgate.Linux.Dns;
using Outgate.Linux.Packets;
using Outgate.Linux.Tests.Packets;

namespace Outgate.Linux.Tests.Dns;

public class DnsTcpStreamsTests
{
    private static readonly DnsTcpFlowKey Flow = new(false, 0x0A010035, 53, 0x0A010001, 40000);

    /// <summary>A fake DNS message of <paramref name="length"/> bytes whose bytes all equal <paramref name="tag"/>.</summary>
    private static byte[] Message(byte tag, int length = 20) => Enumerable.Repeat(tag, length).ToArray();

    private static byte[] Framed(params byte[][] messages)
    {
        var stream = new List<byte>();
        foreach (var m in messages)
        {
            stream.Add((byte)(m.Length >> 8));
            stream.Add((byte)m.Length);
            stream.AddRange(m);
        }
        return [.. stream];
    }

    private static int Feed(DnsTcpStreams streams, List<byte[]> got, uint sequence, byte[] data, TcpFlags flags = TcpFlags.Ack | TcpFlags.Psh, DnsTcpFlowKey? key = null) =>
        streams.Feed(key ?? Flow, sequence, flags, data, static (message, list) => list.Add(message.ToArray()), got);

    [Fact]
    public void Two_messages_in_one_segment_come_out_as_two()
    {
        var streams = new DnsTcpStreams();
        var got = new List<byte[]>();
        Assert.Equal(2, Feed(streams, got, 1000, Framed(Message(1), Message(2, 30))));
        Assert.Equal([Message(1), Message(2, 30)], got);
    }

    [Fact]
    public void A_message_split_over_three_segments_comes_out_once_complete()
    {
        var streams = new DnsTcpStreams();
        var got = new List<byte[]>();
        var stream = Framed(Message(7, 100));
        Assert.Equal(0, Feed(streams, got, 5, stream[..1]));
        Assert.Equal(0, Feed(streams, got, 6, stream[1..50]));
        Assert.Equal(1, Feed(streams, got, 55, stream[50..]));
        Assert.Equal([Message(7, 100)], got);
    }

    [Fact]
    public void Retransmissions_are_ignored_and_overlaps_add_only_their_new_tail()
    {
        var streams = new DnsTcpStreams();
        var got = new List<byte[]>();
        var stream = Framed(Message(1), Message(2));
        Feed(streams, got, 100, stream[..10]);
        Feed(streams, got, 100, stream[..10]); // retransmitted
        Feed(streams, got, 105, stream[5..30]); // overlaps 5 bytes
        Feed(streams, got, 130, stream[30..]);
        Feed(streams, got, 100, stream); // all old
        Assert.Equal([Message(1), Message(2)], got);
    }

    [Fact]
    public void A_segment_after_a_gap_waits_until_the_gap_is_filled()
    {
        var streams = new DnsTcpStreams();
        var got = new List<byte[]>();
        var stream = Framed(Message(1), Message(2), Message(3));
        Feed(streams, got, 0, stream[..5]);
        Assert.Equal(0, Feed(streams, got, 40, stream[40..]));
        Assert.Equal(0, Feed(streams, got, 20, stream[20..40]));
        Assert.Equal(3, Feed(streams, got, 5, stream[5..20]));
        Assert.Equal([Message(1), Message(2), Message(3)], got);
    }

    [Fact]
    public void After_the_SYN_ACK_a_first_data_segment_that_arrives_second_is_still_placed()
    {
        var streams = new DnsTcpStreams();
        var got = new List<byte[]>();
        var stream = Framed(Message(5, 60));
        Assert.Equal(0, Feed(streams, got, 999, [], TcpFlags.Syn | TcpFlags.Ack));
        Assert.Equal(1, streams.Count);
        Feed(streams, got, 1030, stream[30..]); // early
        Assert.Equal(1, Feed(streams, got, 1000, stream[..30]));
        Assert.Equal([Message(5, 60)], got);
    }

    [Fact]
    public void Sequence_numbers_wrap_around()
    {
        var streams = new DnsTcpStreams();
        var got = new List<byte[]>();
        var stream = Framed(Message(9, 40));
        Feed(streams, got, 0xFFFF_FFF0, stream[..16]);
        Feed(streams, got, 16, stream[32..]); // early, past the wrap
        Feed(streams, got, 0, stream[16..32]);
        Assert.Equal([Message(9, 40)], got);
    }

    [Fact]
    public void A_flow_that_holds_too_much_is_given_up_and_forgotten_at_FIN()
    {
        var streams = new DnsTcpStreams(new DnsTcpStreamsOptions { MaxHeldSegmentsPerFlow = 2 });
        var got = new List<byte[]>();
        var stream = Framed(Message(1, 200));
        Feed(streams, got, 0, stream[..10]);
        Feed(streams, got, 50, stream[50..60]);
        Feed(streams, got, 70, stream[70..80]);
        Feed(streams, got, 90, stream[90..100]); // third early segment: over the bound
        Assert.Equal(1, streams.LostFlows);
        Assert.Equal(0, Feed(streams, got, 10, stream[10..]));
        Assert.Empty(got);
        Feed(streams, got, 202, [], TcpFlags.Fin | TcpFlags.Ack);
        Assert.Equal(0, streams.Count);
    }

    [Fact]
    public void A_message_longer_than_the_per_flow_bound_gives_the_flow_up()
    {
        var streams = new DnsTcpStreams(new DnsTcpStreamsOptions { MaxBytesPerFlow = 100 });
        var got = new List<byte[]>();
        var stream = Framed(Message(1, 500));
        for (var at = 0; at < stream.Length; at += 50) Feed(streams, got, (uint)at, stream[at..Math.Min(at + 50, stream.Length)]);
        Assert.Empty(got);
        Assert.Equal(1, streams.LostFlows);
    }

    [Fact]
    public void Never_follows_more_flows_than_allowed_and_forgets_idle_ones()
    {
        var time = new ManualTime();
        var streams = new DnsTcpStreams(new DnsTcpStreamsOptions { MaxFlows = 4, IdleExpiry = TimeSpan.FromSeconds(10) }, time);
        var got = new List<byte[]>();
        for (ushort port = 1; port <= 10; port++)
        {
            Feed(streams, got, 0, [0, 20, 1], key: Flow with { DestinationPort = port }); // a partial message keeps each flow open
            Assert.True(streams.Count <= 4);
            time.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(6, streams.EvictedFlows);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(4, streams.ExpireIdle());
        Assert.Equal(0, streams.Count);
    }

    [Fact]
    public void Reads_messages_from_whole_queued_packets()
    {
        var streams = new DnsTcpStreams();
        var got = new List<byte[]>();
        var packet = PacketBytes.IPv4("10.1.0.53", "10.1.0.1", 6, PacketBytes.Tcp(53, 40000, 0x18, 77, Framed(Message(4))));
        Assert.Equal(1, streams.Feed(packet, static (m, list) => list.Add(m.ToArray()), got));
        Assert.Equal(0, streams.Feed(PacketBytes.IPv4("10.1.0.53", "10.1.0.1", 17, PacketBytes.Udp(53, 40000, [1, 2])), static (m, list) => list.Add(m.ToArray()), got));
        Assert.Equal([Message(4)], got);
    }

    [Fact]
    public void Any_split_order_and_duplication_within_the_bounds_gives_back_the_messages_in_order()
    {
        var gen = Gen.Select(Gen.Int[1, 5], Gen.Int[1, 300].Array[1, 4], Gen.UInt, Gen.Int.Array[12]);
        gen.Sample((segmentCount, lengths, start, shuffle) =>
        {
            var messages = lengths.Select((l, i) => Message((byte)(i + 1), l)).ToArray();
            var stream = Framed(messages);
            var cuts = shuffle.Take(segmentCount - 1).Select(c => (int)((uint)c % (uint)stream.Length)).Append(0).Append(stream.Length).Distinct().Order().ToArray();
            var segments = cuts.Zip(cuts.Skip(1)).Select(p => (Start: p.First, Data: stream[p.First..p.Second])).ToList();
            // The first segment first (it starts the flow), the rest in a shuffled order with one duplicate.
            var rest = segments.Skip(1).OrderBy(s => HashCode.Combine(s.Start, shuffle[11])).ToList();
            if (rest.Count > 0) rest.Add(rest[0]);
            var streams = new DnsTcpStreams();
            var got = new List<byte[]>();
            foreach (var (at, data) in segments.Take(1).Concat(rest))
                Feed(streams, got, unchecked(start + (uint)at), data);
            Assert.Equal(messages, got);
        }, iter: 3_000);
    }

    [Fact]
    public void Garbage_segments_never_throw_and_stay_bounded()
    {
        var streams = new DnsTcpStreams(new DnsTcpStreamsOptions { MaxFlows = 8, MaxBytesPerFlow = 1000 });
        Gen.Select(Gen.UShort[1, 12], Gen.UInt, Gen.Byte, Gen.Byte.Array[0, 400]).Sample((port, sequence, flags, data) =>
        {
            lock (streams) // CsCheck samples on several threads; DnsTcpStreams has one owner
            {
                streams.Feed(Flow with { SourcePort = port }, sequence, (TcpFlags)flags, data, static (_, _) => { }, 0);
                Assert.True(streams.Count <= 8);
            }
        }, iter: 20_000);
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
