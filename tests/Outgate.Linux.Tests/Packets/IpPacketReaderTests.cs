using System.Buffers.Binary;
using System.Net;
using CsCheck;
using Outgate.Linux.Packets;

namespace Outgate.Linux.Tests.Packets;

public class IpPacketReaderTests
{
    private static readonly byte[] Answer = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 9, 9, 9];

    [Fact]
    public void Reads_addresses_ports_and_the_DNS_payload_of_an_IPv4_UDP_answer()
    {
        var packet = PacketBytes.IPv4("10.1.0.53", "10.1.0.1", 17, PacketBytes.Udp(53, 40000, Answer), optionWords: 1);
        Assert.True(IpPacket.TryRead(packet, out var ip));
        Assert.Equal((17, 24, false, false), (ip.Protocol, ip.TransportOffset, ip.IsIPv6, ip.IsTruncated));
        Assert.Equal(IPAddress.Parse("10.1.0.53"), ip.SourceAddress);
        Assert.Equal(IPAddress.Parse("10.1.0.1"), ip.DestinationAddress);
        Assert.True(UdpDatagram.TryRead(ip.Transport, out var udp));
        Assert.Equal((53, 40000), (udp.SourcePort, udp.DestinationPort));
        Assert.Equal(Answer, udp.Payload.ToArray());
        Assert.False(udp.IsTruncated);
    }

    [Fact]
    public void Bytes_after_the_declared_IP_length_are_not_payload()
    {
        byte[] packet = [.. PacketBytes.IPv4("10.1.0.53", "10.1.0.1", 17, PacketBytes.Udp(53, 40000, Answer)), 0xEE, 0xEE, 0xEE];
        Assert.True(IpPacket.TryRead(packet, out var ip));
        Assert.True(UdpDatagram.TryRead(ip.Transport, out var udp));
        Assert.Equal(Answer, udp.Payload.ToArray());
    }

    [Fact]
    public void A_packet_cut_by_the_copy_range_says_so_and_gives_what_is_there()
    {
        var packet = PacketBytes.IPv4("10.1.0.53", "10.1.0.1", 17, PacketBytes.Udp(53, 40000, Answer));
        Assert.True(IpPacket.TryRead(packet.AsSpan(0, packet.Length - 5), out var ip));
        Assert.True(ip.IsTruncated);
        Assert.True(UdpDatagram.TryRead(ip.Transport, out var udp));
        Assert.True(udp.IsTruncated);
        Assert.Equal(Answer[..^5], udp.Payload.ToArray());
    }

    [Theory]
    [InlineData((ushort)0x2000)] // first fragment (MF)
    [InlineData((ushort)0x00B9)] // later fragment
    public void IPv4_fragments_are_refused(ushort fragment)
    {
        var packet = PacketBytes.IPv4("10.1.0.53", "10.1.0.1", 17, PacketBytes.Udp(53, 40000, Answer), fragment: fragment);
        Assert.False(IpPacket.TryRead(packet, out _));
    }

    [Fact]
    public void The_DF_bit_alone_is_no_fragment()
    {
        var packet = PacketBytes.IPv4("10.1.0.53", "10.1.0.1", 17, PacketBytes.Udp(53, 40000, Answer), fragment: 0x4000);
        Assert.True(IpPacket.TryRead(packet, out _));
    }

    [Fact]
    public void Walks_IPv6_extension_headers_to_a_TCP_segment_with_options_and_data()
    {
        var atomic = new byte[8]; // fragment header, offset 0, no M flag: a whole packet
        var packet = PacketBytes.IPv6("fd00:1::53", "fd00:1::1", 6, PacketBytes.Tcp(53, 40000, 0x18, 0xFFFF_FFF0, Answer, optionWords: 3),
            (0, PacketBytes.OptionHeader(1)), (44, atomic));
        Assert.True(IpPacket.TryRead(packet, out var ip));
        Assert.Equal((true, (byte)6, 56), (ip.IsIPv6, ip.Protocol, ip.TransportOffset));
        Assert.Equal(IPAddress.Parse("fd00:1::53"), ip.SourceAddress);
        Assert.True(TcpSegment.TryRead(ip.Transport, out var tcp));
        Assert.Equal((53, 40000, 0xFFFF_FFF0u, TcpFlags.Psh | TcpFlags.Ack), (tcp.SourcePort, tcp.DestinationPort, tcp.SequenceNumber, tcp.Flags));
        Assert.Equal(Answer, tcp.Payload.ToArray());
    }

    [Fact]
    public void A_real_IPv6_fragment_is_refused()
    {
        var fragment = new byte[8];
        fragment[3] = 1; // M flag
        var packet = PacketBytes.IPv6("fd00:1::53", "fd00:1::1", 17, PacketBytes.Udp(53, 40000, Answer), (44, fragment));
        Assert.False(IpPacket.TryRead(packet, out _));
    }

    [Fact]
    public void Headers_that_lie_about_their_length_are_refused()
    {
        var udp = PacketBytes.Udp(53, 40000, Answer);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), 7);
        Assert.False(UdpDatagram.TryRead(udp, out _));
        var tcp = PacketBytes.Tcp(53, 40000, 0x18, 1, Answer);
        tcp[12] = 0xF0; // 60-byte header in a 35-byte segment
        Assert.False(TcpSegment.TryRead(tcp, out _));
        tcp[12] = 0x40; // 16 bytes: below the minimum
        Assert.False(TcpSegment.TryRead(tcp, out _));
        var ip = PacketBytes.IPv4("10.1.0.53", "10.1.0.1", 17, udp);
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), 19); // total length below the header
        Assert.False(IpPacket.TryRead(ip, out _));
        Assert.False(IpPacket.TryRead([], out _));
        Assert.False(IpPacket.TryRead([0x45, 0, 0], out _));
    }

    private static void ReadAll(byte[] bytes)
    {
        if (!IpPacket.TryRead(bytes, out var ip)) return;
        Assert.True(ip.Transport.Length <= bytes.Length - ip.TransportOffset);
        if (UdpDatagram.TryRead(ip.Transport, out var udp)) Assert.True(udp.Payload.Length <= ip.Transport.Length - 8);
        if (TcpSegment.TryRead(ip.Transport, out var tcp)) Assert.True(tcp.Payload.Length <= ip.Transport.Length - 20);
    }

    [Fact]
    public void Random_bytes_never_throw() =>
        Gen.Byte.Array[0, 120].Sample(ReadAll, iter: 30_000);

    [Fact]
    public void Mutated_real_packets_never_throw()
    {
        byte[][] seeds =
        [
            PacketBytes.IPv4("10.1.0.53", "10.1.0.1", 17, PacketBytes.Udp(53, 40000, Answer)),
            PacketBytes.IPv4("10.1.0.53", "10.1.0.1", 6, PacketBytes.Tcp(53, 40000, 0x18, 7, Answer, optionWords: 3)),
            PacketBytes.IPv6("fd00:1::53", "fd00:1::1", 6, PacketBytes.Tcp(53, 40000, 0x18, 7, Answer), (0, PacketBytes.OptionHeader(1))),
            PacketBytes.IPv6("fd00:1::53", "fd00:1::1", 17, PacketBytes.Udp(53, 40000, Answer)),
        ];
        Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Select(Gen.Int[0, 200], Gen.Byte).Array[1, 6], Gen.Int[0, 200]).Sample((seed, flips, cut) =>
        {
            var bytes = (byte[])seeds[seed].Clone();
            foreach (var (at, value) in flips) if (at < bytes.Length) bytes[at] = value;
            ReadAll(bytes[..Math.Min(cut, bytes.Length)]);
            ReadAll(bytes);
        }, iter: 20_000);
    }
}
