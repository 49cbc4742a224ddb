using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Outgate.Linux.Dns;
using Outgate.Linux.Netlink;
using Outgate.Linux.Packets;
using Outgate.Linux.Queue;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Queue;

/// <summary>
/// The DNS answer queue (<see cref="QueueRuleOptions.DnsQueue"/>, compat path on this kernel):
/// "answers" from source port 53 sent from the server namespace over the veth and from a local
/// stub on 127.0.0.53 over lo, to a UDP socket in the client namespace.
/// </summary>
public class DnsQueueKernelTests
{
    private const ushort DnsQueue = 9;
    private static readonly QueueRuleOptions Rules = new() { QueueCount = 1, DnsQueue = DnsQueue };

    /// <summary>What the DNS queue saw of one packet.</summary>
    private sealed record Seen(bool Parsed, PacketFlow Flow, int PayloadLength, int OriginalLength, int L4PayloadLength, byte Hook);

    /// <summary>Reads the DNS queue on its own thread and accepts everything; bounded to 30 s.</summary>
    private sealed class DnsQueueReader : IDisposable
    {
        private readonly NfQueue _queue;
        private readonly Thread _thread;
        private volatile bool _stop;
        public ConcurrentQueue<Seen> Seen { get; } = new();
        /// <summary>DNS-over-TCP messages reassembled from the queued segments (only the reader thread touches <see cref="_streams"/>).</summary>
        public ConcurrentQueue<byte[]> TcpMessages { get; } = new();
        private readonly DnsTcpStreams _streams = new();
        public ConcurrentQueue<Exception> Failures { get; } = new();

        public DnsQueueReader(string ns)
        {
            _queue = NetworkNamespaceScope.Run(ns, () => NfQueue.Open(DnsQueue, new NfQueueOptions { CopyRange = 65535, QueuedMark = 0, UidGid = false }));
            _thread = new Thread(() =>
            {
                var deadline = Environment.TickCount64 + 30_000;
                try
                {
                    while (!_stop && Environment.TickCount64 < deadline)
                        _queue.Receive(static (in QueuedPacket packet, DnsQueueReader self) =>
                        {
                            var parsed = packet.TryGetFlow(out var flow);
                            var l4 = IpPacket.TryRead(packet.Payload, out var ip) ? ip.Transport.Length : -1;
                            if (ip.Protocol == PacketParser.IPPROTO_UDP && UdpDatagram.TryRead(ip.Transport, out var udp)) l4 = udp.Payload.Length;
                            if (ip.Protocol == PacketParser.IPPROTO_TCP && TcpSegment.TryRead(ip.Transport, out var tcp)) l4 = tcp.Payload.Length;
                            self.Seen.Enqueue(new Seen(parsed, flow, packet.Payload.Length, packet.OriginalLength, l4, packet.Hook));
                            self._streams.Feed(packet.Payload, static (message, messages) => messages.Enqueue(message.ToArray()), self.TcpMessages);
                            self._queue.SetVerdict(packet.Id, NfQueueVerdict.Accept);
                        }, this);
                }
                catch (Exception ex)
                {
                    Failures.Enqueue(ex);
                }
            }) { IsBackground = true, Name = "dns queue" };
            _thread.Start();
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join(TimeSpan.FromSeconds(5));
            _queue.Dispose();
            Assert.Empty(Failures);
        }
    }

    private static Socket UdpSocket(string ns, IPEndPoint bind) => NetworkNamespaceScope.Run(ns, () =>
    {
        var s = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 3000 };
        s.Bind(bind);
        return s;
    });

    /// <summary>Sends <paramref name="size"/> bytes from <paramref name="from"/> to the client socket; returns the bytes received there (0 on timeout).</summary>
    private static int Answer(Socket from, Socket client, EndPoint to, int size)
    {
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        from.SendTo(payload, to);
        var buffer = new byte[65536];
        try
        {
            return client.Receive(buffer);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
        {
            return 0;
        }
    }

    [Fact]
    public async Task UDP_answers_over_the_veth_and_over_lo_reach_the_bound_DNS_queue_and_the_client()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules, staticTable: false);
        using var client = UdpSocket(bed.Client.Name, new IPEndPoint(IPAddress.Any, 40053));
        using var server = UdpSocket(bed.Server.Name, new IPEndPoint(bed.ServerAddress, 53));
        using var stub = UdpSocket(bed.Client.Name, new IPEndPoint(IPAddress.Parse("127.0.0.53"), 53));
        using var reader = new DnsQueueReader(bed.Client.Name);

        Assert.Equal(100, Answer(server, client, new IPEndPoint(bed.ClientAddress, 40053), 100));
        Assert.Equal(120, Answer(stub, client, new IPEndPoint(IPAddress.Loopback, 40053), 120));

        var seen = reader.Seen.ToArray();
        Assert.Contains(seen, s => s.Parsed && s.Flow.SourceAddress.Equals(bed.ServerAddress) && s.Flow.SourcePort == 53 && s.L4PayloadLength == 100 && s.Hook == 1);
        Assert.Contains(seen, s => s.Parsed && s.Flow.SourceAddress.Equals(IPAddress.Parse("127.0.0.53")) && s.Flow.SourcePort == 53 && s.L4PayloadLength == 120);
    }

    [Fact]
    public async Task UDP_answers_still_arrive_when_nobody_reads_the_DNS_queue()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules, staticTable: false);
        using var client = UdpSocket(bed.Client.Name, new IPEndPoint(IPAddress.Any, 40054));
        using var server = UdpSocket(bed.Server.Name, new IPEndPoint(bed.ServerAddress, 53));
        using var stub = UdpSocket(bed.Client.Name, new IPEndPoint(IPAddress.Parse("127.0.0.53"), 53));
        Assert.Equal(100, Answer(server, client, new IPEndPoint(bed.ClientAddress, 40054), 100));
        Assert.Equal(120, Answer(stub, client, new IPEndPoint(IPAddress.Loopback, 40054), 120));
        var chain = await bed.Client.ExecCheckedAsync("iptables", "-w", "-t", "mangle", "-L", QueueRuleInstaller.CompatDnsChain, "-v", "-n", "-x");
        Assert.Matches(@"^\s*2\s+\d+\s+NFQUEUE\s+17", chain.StdOut.Split('\n').First(l => l.Contains("NFQUEUE") && l.Contains("udp")));
    }

    /// <summary>
    /// Measured here: conntrack reassembles IPv4 and IPv6 fragments before the input hook, so an
    /// EDNS answer of 4000 bytes crossing a 1500-byte link reaches the queue as ONE packet with the
    /// whole datagram (copy range 65535), and the client still gets it.
    /// </summary>
    [Theory]
    [InlineData(false, 4000)]
    [InlineData(true, 4000)]
    public async Task Fragmented_answers_reach_the_queue_reassembled(bool ipv6, int size)
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules, staticTable: false);
        var any = ipv6 ? IPAddress.IPv6Any : IPAddress.Any;
        using var client = UdpSocket(bed.Client.Name, new IPEndPoint(any, 40055));
        using var server = UdpSocket(bed.Server.Name, new IPEndPoint(ipv6 ? bed.ServerAddress6 : bed.ServerAddress, 53));
        using var reader = new DnsQueueReader(bed.Client.Name);

        Assert.Equal(size, Answer(server, client, new IPEndPoint(ipv6 ? bed.ClientAddress6 : bed.ClientAddress, 40055), size));
        var seen = Assert.Single(reader.Seen, s => s.Flow.SourcePort == 53);
        Assert.Equal(size, seen.L4PayloadLength);
        Assert.Equal(seen.PayloadLength, seen.OriginalLength);
    }

    /// <summary>
    /// The largest IPv4 UDP datagram (65,507 bytes of data, a 65,535-byte packet): the kernel copies
    /// at most 65,531 bytes (NFQNL_MAX_COPY_RANGE = 0xffff - NLA_HDRLEN), so the queue sees the
    /// packet cut by 4 bytes and says so (cap length); the verdict still passes all of it.
    /// Before NfQueue sized its receive buffer for the copy range, this datagram did not fit the
    /// 64 KiB buffer, was lost without a verdict, and the answer never arrived.
    /// </summary>
    [Fact]
    public async Task The_largest_UDP_answer_is_queued_cut_by_4_bytes_and_still_delivered_whole()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules, staticTable: false);
        using var client = UdpSocket(bed.Client.Name, new IPEndPoint(IPAddress.Any, 40056));
        using var server = UdpSocket(bed.Server.Name, new IPEndPoint(bed.ServerAddress, 53));
        using var reader = new DnsQueueReader(bed.Client.Name);

        Assert.Equal(65507, Answer(server, client, new IPEndPoint(bed.ClientAddress, 40056), 65507));
        var seen = Assert.Single(reader.Seen, s => s.Flow.SourcePort == 53);
        Assert.Equal((65531, 65535), (seen.PayloadLength, seen.OriginalLength));
        Assert.Equal(65503, seen.L4PayloadLength);
    }

    [Fact]
    public async Task TCP_answer_segments_with_data_and_the_SYN_ACK_are_queued_and_bare_ACKs_are_not()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules, staticTable: false);
        using var listener = NetworkNamespaceScope.Run(bed.Server.Name, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(bed.ServerAddress, 53));
            s.Listen(4);
            return s;
        });
        using var reader = new DnsQueueReader(bed.Client.Name);
        using var client = bed.NewClientSocket();
        client.ReceiveTimeout = 3000;
        var accept = listener.AcceptAsync(TestContext.Current.CancellationToken);
        await client.ConnectAsync(new IPEndPoint(bed.ServerAddress, 53), TestContext.Current.CancellationToken);
        using var served = await accept;
        var message = new byte[2 + 300];
        message[0] = 1; message[1] = 44; // length 300
        served.Send(message);
        var received = 0;
        var buffer = new byte[1024];
        while (received < message.Length) received += client.Receive(buffer);
        served.Shutdown(SocketShutdown.Both);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        var fromServer = reader.Seen.Where(s => s.Flow.SourcePort == 53 && s.Flow.Protocol == 6).ToArray();
        Assert.Contains(fromServer, s => s.L4PayloadLength == 302);
        Assert.Equal(message[2..], Assert.Single(reader.TcpMessages));
        Assert.Single(fromServer, s => (s.Flow.TcpFlags & TcpFlags.Syn) != 0);
        Assert.DoesNotContain(fromServer, s => (s.Flow.TcpFlags & TcpFlags.Rst) != 0);
        Assert.All(fromServer, s => Assert.True(s.L4PayloadLength > 0 || (s.Flow.TcpFlags & (TcpFlags.Fin | TcpFlags.Syn)) != 0, $"a bare ACK was queued: {s}"));
    }

    [Fact]
    public async Task Installing_twice_keeps_one_jump_and_Remove_takes_the_DNS_chain_away()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules, staticTable: false);
        await bed.Installer.InstallAsync(Rules, QueuePath.Compat, TestContext.Current.CancellationToken);
        foreach (var tool in (string[])["iptables", "ip6tables"])
        {
            var input = await bed.Client.ExecCheckedAsync(tool, "-w", "-t", "mangle", "-S", "INPUT");
            Assert.Single(input.StdOut.Split('\n'), l => l.Contains(QueueRuleInstaller.CompatDnsChain));
            var chain = await bed.Client.ExecCheckedAsync(tool, "-w", "-t", "mangle", "-S", QueueRuleInstaller.CompatDnsChain);
            Assert.Equal(3, chain.StdOut.Split('\n').Count(l => l.Contains("NFQUEUE")));
        }
        Assert.Equal(QueuePath.Compat, await bed.Installer.ActivePathAsync(TestContext.Current.CancellationToken));
        await bed.Installer.RemoveAsync(TestContext.Current.CancellationToken);
        foreach (var tool in (string[])["iptables", "ip6tables"])
        {
            var input = await bed.Client.ExecCheckedAsync(tool, "-w", "-t", "mangle", "-S", "INPUT");
            Assert.DoesNotContain(QueueRuleInstaller.CompatDnsChain, input.StdOut);
            Assert.NotEqual(0, (await bed.Client.ExecAsync(tool, "-w", "-t", "mangle", "-S", QueueRuleInstaller.CompatDnsChain)).ExitCode);
        }
    }

    [Fact]
    public async Task The_native_DNS_chain_is_valid_nft_apart_from_the_queue_statement_this_kernel_lacks()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("dq");
        var text = QueueRuleInstaller.NativeRuleset(Rules, withQueue: true).Replace("queue num 0 bypass", "counter").Replace($"queue num {DnsQueue} bypass", "counter");
        var load = await Shell.RunAsync("ip", ["netns", "exec", ns.Name, "nft", "-f", "-"], text);
        Assert.True(load.ExitCode == 0, load + "\n" + text);
        var listed = await ns.ExecCheckedAsync("nft", "list", "chain", "inet", QueueRuleInstaller.NativeTable, QueueRuleInstaller.NativeDnsChain);
        Assert.Contains("hook input", listed.StdOut);
    }
}
