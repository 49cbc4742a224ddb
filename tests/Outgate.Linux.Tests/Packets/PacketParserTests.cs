using System.Net;
using System.Net.Sockets;
using CsCheck;
using Outgate.Linux.Packets;

namespace Outgate.Linux.Tests.Packets;

public class PacketParserTests
{
    [Fact]
    public void Reads_an_IPv4_TCP_SYN_with_IP_options()
    {
        var packet = PacketBytes.IPv4("10.1.0.1", "10.1.0.2", 6, PacketBytes.Tcp(40000, 443, 0x02), optionWords: 2);
        Assert.True(PacketParser.TryParse(packet, out var flow));
        Assert.Equal((AddressFamily.InterNetwork, (byte)6, (ushort)40000, (ushort)443, TcpFlags.Syn, 28),
            (flow.Family, flow.Protocol, flow.SourcePort, flow.DestinationPort, flow.TcpFlags, flow.TransportOffset));
        Assert.Equal((UInt128)0x0A010001, flow.Source);
        Assert.Equal(IPAddress.Parse("10.1.0.2"), flow.DestinationAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.0.1"), 40000), flow.SourceEndPoint);
        Assert.True(flow.IsTcpSyn);
        Assert.Equal("tcp 10.1.0.1:40000 -> 10.1.0.2:443 [Syn]", flow.ToString());
    }

    [Fact]
    public void A_SYN_ACK_is_not_a_new_connection()
    {
        Assert.True(PacketParser.TryParse(PacketBytes.IPv4("10.1.0.2", "10.1.0.1", 6, PacketBytes.Tcp(443, 40000, 0x12)), out var flow));
        Assert.False(flow.IsTcpSyn);
    }

    [Fact]
    public void Walks_IPv6_extension_headers_to_UDP()
    {
        var fragment = new byte[8]; // first fragment: offset 0, M flag set
        fragment[3] = 1;
        var packet = PacketBytes.IPv6("fd00:1::1", "fd00:1::2", 17, PacketBytes.Udp(5353, 53),
            (0, PacketBytes.OptionHeader(1)), (60, PacketBytes.OptionHeader(2)), (44, fragment));
        Assert.True(PacketParser.TryParse(packet, out var flow));
        Assert.Equal((AddressFamily.InterNetworkV6, (byte)17, (ushort)5353, (ushort)53, 40 + 8 + 16 + 8),
            (flow.Family, flow.Protocol, flow.SourcePort, flow.DestinationPort, flow.TransportOffset));
        Assert.Equal(IPAddress.Parse("fd00:1::1"), flow.SourceAddress);
        Assert.Equal("udp [fd00:1::1]:5353 -> [fd00:1::2]:53", flow.ToString());
    }

    [Fact]
    public void Reads_ICMP_type_and_code()
    {
        Assert.True(PacketParser.TryParse(PacketBytes.IPv4("10.1.0.1", "10.1.0.2", 1, [8, 0, 0, 0, 0, 1, 0, 1]), out var v4));
        Assert.Equal(((byte)1, (ushort)0x0800, (ushort)0), (v4.Protocol, v4.IcmpTypeCode, v4.DestinationPort));
        Assert.True(PacketParser.TryParse(PacketBytes.IPv6("fd00::1", "fd00::2", 58, [128, 0, 0, 0]), out var v6));
        Assert.Equal(((byte)58, (ushort)0x8000), (v6.Protocol, v6.IcmpTypeCode));
    }

    [Fact]
    public void Refuses_later_fragments_ESP_and_cut_headers()
    {
        Assert.False(PacketParser.TryParse(PacketBytes.IPv4("10.1.0.1", "10.1.0.2", 6, PacketBytes.Tcp(1, 2, 2), fragment: 0x0010), out _));
        var laterFragment = new byte[8];
        laterFragment[3] = 0x08; // offset 1
        Assert.False(PacketParser.TryParse(PacketBytes.IPv6("fd00::1", "fd00::2", 6, PacketBytes.Tcp(1, 2, 2), (44, laterFragment)), out _));
        Assert.False(PacketParser.TryParse(PacketBytes.IPv6("fd00::1", "fd00::2", 50, new byte[16]), out _));
        var syn = PacketBytes.IPv4("10.1.0.1", "10.1.0.2", 6, PacketBytes.Tcp(1, 2, 2));
        Assert.False(PacketParser.TryParse(syn.AsSpan(0, 20 + 13), out _)); // flags byte missing
        Assert.True(PacketParser.TryParse(syn.AsSpan(0, 20 + 14), out _));
        Assert.False(PacketParser.TryParse([], out _));
        Assert.False(PacketParser.TryParse([0x55, 0, 0, 0], out _));
    }

    [Fact]
    public void Too_many_extension_headers_are_refused()
    {
        var chain = Enumerable.Range(0, PacketParser.MaxExtensionHeaders + 1).Select(_ => ((byte)60, PacketBytes.OptionHeader(1))).ToArray();
        Assert.False(PacketParser.TryParse(PacketBytes.IPv6("fd00::1", "fd00::2", 6, PacketBytes.Tcp(1, 2, 2), chain), out _));
        Assert.True(PacketParser.TryParse(PacketBytes.IPv6("fd00::1", "fd00::2", 6, PacketBytes.Tcp(1, 2, 2), chain[1..]), out _));
    }

    public static TheoryData<string> Samples => new() { "v4-tcp", "v6-ext-udp", "v4-icmp" };

    private static byte[] Sample(string name) => name switch
    {
        "v4-tcp" => PacketBytes.IPv4("10.1.0.1", "10.1.0.2", 6, PacketBytes.Tcp(40000, 443, 0x02), optionWords: 1),
        "v6-ext-udp" => PacketBytes.IPv6("fd00:1::1", "fd00:1::2", 17, PacketBytes.Udp(5353, 53), (0, PacketBytes.OptionHeader(1)), (43, PacketBytes.OptionHeader(3)), (51, new byte[12] { 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })),
        _ => PacketBytes.IPv4("10.1.0.1", "10.1.0.2", 1, [8, 0, 0, 0]),
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_truncation_parses_or_returns_false(string sample)
    {
        var packet = Sample(sample);
        Assert.True(PacketParser.TryParse(packet, out var full));
        for (var length = 0; length < packet.Length; length++)
            if (PacketParser.TryParse(packet.AsSpan(0, length), out var cut))
                Assert.Equal(full, cut); // only when nothing needed was cut
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Mutated_packets_never_throw(string sample)
    {
        var packet = Sample(sample);
        Gen.Select(Gen.Int[0, packet.Length - 1], Gen.Byte).Array[1, 8].Sample(mutations =>
        {
            var copy = (byte[])packet.Clone();
            foreach (var (at, value) in mutations) copy[at] = value;
            PacketParser.TryParse(copy, out _);
        }, iter: 20_000);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            PacketParser.TryParse(bytes, out _);
            if (bytes.Length > 0) { bytes[0] = (byte)(0x40 | (bytes[0] & 0x0F)); PacketParser.TryParse(bytes, out _); }
            if (bytes.Length > 0) { bytes[0] = 0x60; PacketParser.TryParse(bytes, out _); }
        }, iter: 50_000);
    }
}
