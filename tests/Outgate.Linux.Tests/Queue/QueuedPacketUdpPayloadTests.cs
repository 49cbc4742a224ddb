using Outgate.Linux.Queue;

namespace Outgate.Linux.Tests.Queue;

public sealed class QueuedPacketUdpPayloadTests
{
    /// <summary>IPv4 10.0.0.1:40000 → 10.0.0.2:53 UDP carrying <paramref name="data"/> (checksums zero: not checked).</summary>
    private static byte[] Udp4(byte[] data)
    {
        var total = 20 + 8 + data.Length;
        var p = new byte[total];
        p[0] = 0x45; p[2] = (byte)(total >> 8); p[3] = (byte)total; p[8] = 64; p[9] = 17;
        p[12] = 10; p[15] = 1; p[16] = 10; p[19] = 2;
        p[20] = 40000 >> 8; p[21] = 40000 & 0xFF; p[23] = 53;
        p[24] = (byte)((8 + data.Length) >> 8); p[25] = (byte)(8 + data.Length);
        data.CopyTo(p, 28);
        return p;
    }

    [Fact]
    public void The_udp_data_of_a_whole_packet_comes_back_uncut()
    {
        var bytes = Udp4("hello"u8.ToArray());
        var packet = new QueuedPacket { Payload = bytes, OriginalLength = bytes.Length };
        Assert.True(packet.TryGetUdpPayload(out var data, out var cut));
        Assert.Equal("hello"u8.ToArray(), data.ToArray());
        Assert.False(cut);
    }

    [Fact]
    public void A_packet_cut_to_the_copy_range_says_so()
    {
        var bytes = Udp4(new byte[600]);
        var packet = new QueuedPacket { Payload = bytes.AsSpan(0, 512), OriginalLength = bytes.Length };
        Assert.True(packet.TryGetUdpPayload(out var data, out var cut));
        Assert.Equal(512 - 28, data.Length);
        Assert.True(cut);
    }

    [Fact]
    public void Tcp_and_garbage_have_no_udp_payload()
    {
        var tcp = Udp4([1, 2, 3]);
        tcp[9] = 6;
        Assert.False(new QueuedPacket { Payload = tcp, OriginalLength = tcp.Length }.TryGetUdpPayload(out _, out _));
        Assert.False(new QueuedPacket { Payload = [1, 2, 3], OriginalLength = 3 }.TryGetUdpPayload(out _, out _));
    }
}
