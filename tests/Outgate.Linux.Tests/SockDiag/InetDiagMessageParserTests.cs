using System.Buffers.Binary;
using System.Net;
using Outgate.Linux.Netlink;
using Outgate.Linux.SockDiag;
using Outgate.Linux.Tests.Netlink;

namespace Outgate.Linux.Tests.SockDiag;

/// <summary>
/// Replies captured from kernel 6.18 in a fresh namespace (python3, see testdata/README.md): a TCP
/// listener 127.0.0.1:8080 (inode 35970), a client 127.0.0.1:59614 (35971) that sent 1000 bytes and
/// received 500, its accepted peer (35972); UDP [::1]:5353 (35973) and [::ffff:127.0.0.1]:5354 (35974).
/// </summary>
public class InetDiagMessageParserTests
{
    private static readonly IPAddress Loopback4 = IPAddress.Parse("127.0.0.1");

    [Fact]
    public void Parses_a_captured_IPv4_TCP_dump()
    {
        var entries = SockDiagDatagram.Parse(NetlinkBytes.FromHexFile("tcp4-dump.hex"), SocketProtocol.Tcp);

        Assert.Equal(3, entries.Count);
        var listener = Assert.Single(entries, e => e.State == SocketState.Listen);
        Assert.Equal((Loopback4, (ushort)8080, IPAddress.Any, (ushort)0), (listener.LocalAddress, listener.LocalPort, listener.RemoteAddress, listener.RemotePort));
        Assert.Equal(35970ul, listener.Inode);
        Assert.Equal(0u, listener.Uid);

        var client = Assert.Single(entries, e => e.LocalPort == 59614);
        Assert.Equal(SocketState.Established, client.State);
        Assert.Equal(Loopback4, client.RemoteAddress);
        Assert.Equal(8080, client.RemotePort);
        Assert.Equal(35971ul, client.Inode);
        Assert.NotNull(client.Tcp);
        // tcpi_bytes_acked on the connecting side counts the SYN's sequence number too (as `ss -i` shows bytes_acked:1001).
        Assert.Equal(1001ul, client.Tcp.Value.BytesSent);
        Assert.Equal(500ul, client.Tcp.Value.BytesReceived);
        Assert.True(client.Tcp.Value.RttMicroseconds > 0);
        Assert.NotEqual(0ul, client.Cookie);

        var server = Assert.Single(entries, e => e.LocalPort == 8080 && e.State == SocketState.Established);
        Assert.Equal(35972ul, server.Inode);
        Assert.Equal(500ul, server.Tcp!.Value.BytesSent); // the accepting side does not count its SYN-ACK
        Assert.Equal(1000ul, server.Tcp.Value.BytesReceived);
        Assert.All(entries, e => Assert.False(e.IsIPv6));
    }

    [Fact]
    public void Parses_a_captured_IPv6_UDP_dump_and_keeps_IPv4_mapped_addresses_IPv6()
    {
        var entries = SockDiagDatagram.Parse(NetlinkBytes.FromHexFile("udp6-dump.hex"), SocketProtocol.Udp);

        Assert.Equal(2, entries.Count);
        var loopback = Assert.Single(entries, e => e.LocalPort == 5353);
        Assert.Equal(IPAddress.IPv6Loopback, loopback.LocalAddress);
        Assert.Equal(IPAddress.IPv6Any, loopback.RemoteAddress);
        Assert.Equal(SocketState.Close, loopback.State);
        Assert.Equal(35973ul, loopback.Inode);
        Assert.Null(loopback.Tcp);

        var mapped = Assert.Single(entries, e => e.LocalPort == 5354);
        Assert.True(mapped.IsIPv6);
        Assert.Equal(IPAddress.Parse("::ffff:127.0.0.1"), mapped.LocalAddress);
        Assert.Equal(35974ul, mapped.Inode);
    }

    [Fact]
    public void Reads_every_field_at_its_kernel_offset()
    {
        var payload = new byte[72];
        payload[0] = 2; payload[1] = 2; payload[2] = 1; payload[3] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(4), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(6), 443);
        new byte[] { 10, 0, 0, 1 }.CopyTo(payload, 8);
        new byte[] { 93, 184, 216, 34 }.CopyTo(payload, 24);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(40), 7);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(44), 0x11223344);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(48), 0x55667788);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(52), 1000);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(56), 11);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(60), 22);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(64), 1000);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(68), 123456);

        var parser = new InetDiagMessageParser(payload);
        Assert.Equal((SocketState.SynSent, (byte)1, (byte)3), (parser.State, parser.Timer, parser.Retransmits));
        Assert.Equal(0x5566778811223344ul, parser.Cookie);
        Assert.Equal((1000u, 11u, 22u), (parser.Expires, parser.ReceiveQueue, parser.SendQueue));
        var entry = parser.ToSocketEntry(SocketProtocol.Tcp);
        Assert.Equal(new SocketEntry(SocketProtocol.Tcp, IPAddress.Parse("10.0.0.1"), 40000, IPAddress.Parse("93.184.216.34"), 443,
            SocketState.SynSent, 1000, 123456, 7, null) { Cookie = 0x5566778811223344ul, ReceiveQueue = 11, SendQueue = 22 }, entry);
    }

    [Fact]
    public void An_IPv6_link_local_address_is_scoped_to_the_socket_interface()
    {
        var payload = Header(10);
        IPAddress.Parse("fe80::1").GetAddressBytes().CopyTo(payload, 8);
        IPAddress.Parse("2001:db8::1").GetAddressBytes().CopyTo(payload, 24);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(40), 3);
        var entry = new InetDiagMessageParser(payload).ToSocketEntry(SocketProtocol.Udp);
        Assert.Equal(3, entry.LocalAddress.ScopeId);
        Assert.Equal(0, entry.RemoteAddress.ScopeId);
        Assert.Equal(3u, entry.InterfaceIndex);
    }

    [Fact]
    public void Tcp_counters_come_from_INET_DIAG_INFO_and_unknown_attributes_are_skipped()
    {
        var info = new byte[136];
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(68), 250);
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(72), 125);
        BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(120), 5000);
        BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(128), 7000);
        var payload = NetlinkBytes.Concat(Header(2), NetlinkBytes.Attribute(999, [1, 2, 3]), NetlinkBytes.Attribute(SockDiagConstants.INET_DIAG_INFO, info));

        var counters = new InetDiagMessageParser(payload).ReadTcpCounters();
        Assert.Equal(new TcpCounters(5000, 7000, 250, 125), counters);
    }

    [Fact]
    public void A_short_old_tcp_info_gives_rtt_and_zero_byte_counters()
    {
        var info = new byte[104];
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(68), 9);
        var payload = NetlinkBytes.Concat(Header(2), NetlinkBytes.Attribute(SockDiagConstants.INET_DIAG_INFO, info));
        Assert.Equal(new TcpCounters(0, 0, 9, 0), new InetDiagMessageParser(payload).ReadTcpCounters());
    }

    [Fact]
    public void A_tcp_info_too_short_for_rtt_gives_no_counters()
    {
        var payload = NetlinkBytes.Concat(Header(2), NetlinkBytes.Attribute(SockDiagConstants.INET_DIAG_INFO, new byte[40]));
        Assert.Null(new InetDiagMessageParser(payload).ReadTcpCounters());
    }

    [Fact]
    public void Rejects_a_truncated_inet_diag_msg()
    {
        var ex = Assert.Throws<NetlinkParseException>(() => new InetDiagMessageParser(new byte[71], offset: 16));
        Assert.Contains("inet_diag_msg truncated: 71 of 72 bytes", ex.Message);
        Assert.Equal(16, ex.Offset);
    }

    [Fact]
    public void Rejects_an_unknown_family()
    {
        var ex = Assert.Throws<NetlinkParseException>(() => new InetDiagMessageParser(Header(1)));
        Assert.Contains("idiag_family 1", ex.Message);
    }

    private static byte[] Header(byte family)
    {
        var header = new byte[72];
        header[0] = family;
        header[1] = 1;
        return header;
    }
}
