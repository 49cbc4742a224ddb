using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Outgate.Linux.Conntrack;
using Outgate.Linux.Netlink;
using Outgate.Linux.Tests.Conntrack;
using Outgate.Linux.Queue;
using Outgate.Linux.SockDiag;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Queue;

/// <summary>
/// Kernel tests of the NFQUEUE path: compat queue rules (iptables-nft in the client namespace),
/// our queue sockets opened inside it, connections to a listener in the server namespace.
/// </summary>
public class NfQueueKernelTests
{
    private static readonly QueueRuleOptions Rules = new();

    [Fact]
    public async Task Accepted_SYN_carries_the_connecting_users_uid_its_five_tuple_and_a_SYN_SENT_socket()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        bed.Listen(8080);
        using var diag = NetworkNamespaceScope.Run(bed.Client.Name, () => new SockDiagClient());
        using var runner = new QueueRunner(bed.Client.Name, Rules.QueueNumbers,
            (_, _) => (NfQueueVerdict.Accept, null),
            flow => diag.Lookup(SocketProtocol.Tcp, flow.SourceEndPoint, flow.DestinationEndPoint));

        var result = await bed.Client.ExecAsync("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c",
            "import socket,sys; s=socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=5); print(s.getsockname()[1])",
            bed.ServerAddress.ToString(), "8080");
        Assert.True(result.ExitCode == 0, result.ToString());
        var clientPort = ushort.Parse(result.StdOut.Trim());

        var syn = Assert.Single(runner.Seen, p => p.Flow.SourcePort == clientPort);
        Assert.True(syn.Parsed);
        Assert.True(syn.Flow.IsTcpSyn);
        Assert.Equal((bed.ClientAddress, bed.ServerAddress, (ushort)8080, (byte)6),
            (syn.Flow.SourceAddress, syn.Flow.DestinationAddress, syn.Flow.DestinationPort, syn.Flow.Protocol));
        Assert.True(syn.HasUid);
        Assert.Equal((65534u, 65534u), (syn.Uid, syn.Gid));
        Assert.NotEqual(0u, syn.OutputInterface);
        var socket = Assert.IsType<SocketEntry>(syn.Extra);
        Assert.Equal(SocketState.SynSent, socket.State);
        Assert.Equal(65534u, socket.Uid);
        Assert.NotEqual(0ul, socket.Inode);
        Assert.Equal(1, runner.Queues.Sum(q => q.Counters.Verdicts));

        var statistics = runner.Queues.Select(q => q.ReadKernelStatistics()).ToArray();
        Assert.All(statistics, s => Assert.NotNull(s));
        Assert.Equal(0u, statistics.Sum(s => s!.Value.QueueDropped + s.Value.UserDropped));
        Assert.Equal(1u, statistics.Sum(s => s!.Value.IdSequence));
    }

    private static readonly QueueVerdictMark Marks = Rules.VerdictMark;

    /// <summary>What a daemon answers: ACCEPT with the packet's mark turned into the verdict's.</summary>
    private static (NfQueueVerdict, uint?) Answer(SeenPacket packet, AppVerdict verdict) =>
        (NfQueueVerdict.Accept, Marks.For(packet.Mark, verdict));

    [Fact]
    public async Task Without_a_bound_queue_the_static_table_drops_what_still_carries_the_queued_bit()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        bed.Listen(8081);
        var (socket, error, _) = await bed.ConnectAsync(8081, TimeSpan.FromMilliseconds(1500));
        socket?.Dispose();
        Assert.Equal(SocketError.TimedOut, error);
        var counters = await bed.Client.ExecCheckedAsync("nft", "list", "chain", "inet", "outgate", "output");
        Assert.Matches(@"0x00800000 drop", counters.StdOut);
    }

    [Fact]
    public async Task IPv6_connections_are_queued_parsed_and_dropped_without_a_daemon()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        bed.Listen(8087, ipv6: true);
        var dropped = await bed.ConnectAsync(8087, TimeSpan.FromMilliseconds(1500), ipv6: true);
        Assert.Equal(SocketError.TimedOut, dropped.Error);

        using var runner = new QueueRunner(bed.Client.Name, Rules.QueueNumbers, (_, p) => Answer(p, AppVerdict.Allow));
        var (socket, error, _) = await bed.ConnectAsync(8087, TimeSpan.FromSeconds(5), ipv6: true);
        socket?.Dispose();
        Assert.Equal(SocketError.Success, error);
        var syn = Assert.Single(runner.Seen, p => p.Flow.IsTcpSyn);
        Assert.Equal((AddressFamily.InterNetworkV6, bed.ClientAddress6, bed.ServerAddress6, (ushort)8087),
            (syn.Flow.Family, syn.Flow.SourceAddress, syn.Flow.DestinationAddress, syn.Flow.DestinationPort));
        Assert.Equal(0u, syn.Uid); // the test process
    }

    [Fact]
    public async Task Without_the_static_table_bypassed_connections_go_out()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules, staticTable: false);
        bed.Listen(8082);
        var (socket, error, _) = await bed.ConnectAsync(8082, TimeSpan.FromSeconds(5));
        socket?.Dispose();
        Assert.Equal(SocketError.Success, error);
    }

    [Fact]
    public async Task Allow_connects_deny_is_refused_at_once_no_opinion_falls_to_the_static_rules_and_drop_hangs()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        foreach (var port in (int[])[8083, 8084, 8088, 8089]) bed.Listen(port);
        using var runner = new QueueRunner(bed.Client.Name, Rules.QueueNumbers, (_, p) => p.Flow.DestinationPort switch
        {
            8083 => Answer(p, AppVerdict.Allow),
            8088 => Answer(p, AppVerdict.Deny),
            8089 => Answer(p, AppVerdict.None),
            _ => (NfQueueVerdict.Drop, null),
        });

        var allowed = await bed.ConnectAsync(8083, TimeSpan.FromSeconds(5));
        allowed.Socket?.Dispose();
        Assert.Equal(SocketError.Success, allowed.Error);

        var denied = await bed.ConnectAsync(8088, TimeSpan.FromSeconds(5));
        Assert.Equal(SocketError.ConnectionRefused, denied.Error);
        Assert.True(denied.Elapsed < TimeSpan.FromSeconds(1), $"took {denied.Elapsed}");

        var undecided = await bed.ConnectAsync(8089, TimeSpan.FromSeconds(5));
        undecided.Socket?.Dispose();
        Assert.Equal(SocketError.Success, undecided.Error); // the stand-in's policy accept

        var dropped = await bed.ConnectAsync(8084, TimeSpan.FromMilliseconds(1500));
        Assert.Equal(SocketError.TimedOut, dropped.Error);

        // The queue rule marked each packet before queueing it.
        Assert.All(runner.Seen, p => Assert.Equal(Rules.QueuedMark, p.Mark & Rules.DaemonBits));
    }

    [Fact]
    public async Task Only_the_SYN_is_queued_and_an_allowed_flow_keeps_working_after_the_daemon_is_gone()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        bed.Listen(8090);
        var runner = new QueueRunner(bed.Client.Name, Rules.QueueNumbers, (_, p) => Answer(p, AppVerdict.Allow));
        var (socket, error, _) = await bed.ConnectAsync(8090, TimeSpan.FromSeconds(5));
        Assert.Equal(SocketError.Success, error);
        using (socket)
        {
            await EchoAsync(socket!, 3);
            var port = (ushort)((IPEndPoint)socket!.LocalEndPoint!).Port;
            Assert.Single(runner.Seen, p => p.Flow.SourcePort == port); // the SYN only: not the ACK, not the data
            runner.Dispose();
            await EchoAsync(socket!, 3); // established: never queued, so no daemon is needed
        }
    }

    [Fact]
    public async Task A_flow_older_than_the_queue_rules_is_not_queued_mid_stream()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(rules: null, staticTable: false);
        bed.Listen(8091);
        var (socket, error, _) = await bed.ConnectAsync(8091, TimeSpan.FromSeconds(5));
        Assert.Equal(SocketError.Success, error);
        using (socket)
        {
            await EchoAsync(socket!, 1);
            // Conntrack starts now (the first ct rule), so this flow's next packets are ct state new.
            await bed.Installer.InstallAsync(Rules, cancellationToken: TestContext.Current.CancellationToken);
            await bed.LoadStaticTableAsync();
            using var runner = new QueueRunner(bed.Client.Name, Rules.QueueNumbers, (_, _) => (NfQueueVerdict.Drop, null));
            await EchoAsync(socket!, 3);
            var port = (ushort)((IPEndPoint)socket!.LocalEndPoint!).Port;
            Assert.DoesNotContain(runner.Seen, p => p.Flow.SourcePort == port);
        }
    }

    /// <summary>Sends <paramref name="rounds"/> small messages and reads each echo back, 2 s each at most.</summary>
    private static async Task EchoAsync(Socket socket, int rounds)
    {
        var buffer = new byte[16];
        for (var i = 0; i < rounds; i++)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(2));
            await socket.SendAsync(new byte[] { (byte)i, 1, 2, 3 }, cts.Token);
            var got = 0;
            while (got < 4) got += await socket.ReceiveAsync(buffer.AsMemory(got), cts.Token);
            Assert.Equal((byte)i, buffer[0]);
        }
    }

    [Fact]
    public async Task Verdict_mark_becomes_the_conntrack_mark()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        bed.Listen(8085);
        using var listener = NetworkNamespaceScope.Run(bed.Client.Name, () => ConntrackEventListener.Open(ConntrackEventGroups.New));
        using var runner = new QueueRunner(bed.Client.Name, Rules.QueueNumbers, (_, p) => (NfQueueVerdict.Accept, Marks.For(p.Mark | 0x2a, AppVerdict.Allow)));

        var (socket, error, _) = await bed.ConnectAsync(8085, TimeSpan.FromSeconds(5));
        Assert.Equal(SocketError.Success, error);
        using (socket)
        {
            var port = (ushort)((IPEndPoint)socket!.LocalEndPoint!).Port;
            var events = ConntrackTestEvents.Collect(listener, e => e.Original.SourcePort == port, TimeSpan.FromSeconds(5));
            var created = Assert.Single(events);
            Assert.Equal(ConntrackEventType.New, created.Type);
            Assert.Equal(Rules.AllowMark | 0x2au, created.Mark);
            var listed = await bed.Client.ExecCheckedAsync("conntrack", "-L", "-p", "tcp", "--sport", port.ToString());
            Assert.Contains($"mark={Rules.AllowMark | 0x2a}", listed.StdOut);
        }
    }

    [Fact]
    public async Task One_batch_verdict_releases_every_waiting_SYN()
    {
        NetworkNamespace.SkipUnlessRoot();
        var rules = Rules with { QueueCount = 1 };
        await using var bed = await QueueTestBed.CreateAsync(rules);
        bed.Listen(8086);
        const int connections = 5;
        using var runner = new QueueRunner(bed.Client.Name, rules.QueueNumbers, (_, _) => null);

        var connects = Enumerable.Range(0, connections).Select(_ => bed.ConnectAsync(8086, TimeSpan.FromSeconds(10))).ToArray();
        var watch = Stopwatch.StartNew();
        while (runner.Seen.Count(p => p.Flow.IsTcpSyn) < connections && watch.Elapsed < TimeSpan.FromSeconds(5))
            await Task.Delay(10, TestContext.Current.CancellationToken);
        var ids = runner.Seen.Where(p => p.Flow.IsTcpSyn).Select(p => p.Id).Distinct().ToArray();
        Assert.Equal(connections, ids.Length);

        var queue = Assert.Single(runner.Queues);
        queue.SetVerdictBatch(ids.Max(), NfQueueVerdict.Accept);
        var results = await Task.WhenAll(connects);
        foreach (var r in results) r.Socket?.Dispose();
        Assert.All(results, r => Assert.Equal(SocketError.Success, r.Error));
        Assert.Equal((0L, 1L), (queue.Counters.Verdicts, queue.Counters.BatchVerdicts));
    }

    [Fact]
    public async Task A_second_socket_cannot_bind_a_queue_that_is_taken()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("qb");
        using var first = NetworkNamespaceScope.Run(ns.Name, () => NfQueue.Open(7));
        var ex = Assert.Throws<NfQueueBusyException>(() => NetworkNamespaceScope.Run(ns.Name, () => NfQueue.Open(7)));
        Assert.Equal(7, ex.QueueNumber);
        Assert.Contains("already bound", ex.Message);
    }

    [Fact]
    public async Task Installer_detects_the_compat_path_here_and_removes_everything_it_added()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("qi");
        var installer = new QueueRuleInstaller(ns.Name);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(QueuePath.Compat, await installer.DetectAsync(ct)); // this kernel lacks CONFIG_NFT_QUEUE
        Assert.Equal(QueuePath.None, await installer.ActivePathAsync(ct));

        // Someone else's mangle rule (a VPN's routing mark) stays ahead of our jump.
        await ns.ExecCheckedAsync("iptables", "-t", "mangle", "-A", "OUTPUT", "-p", "udp", "--dport", "51820", "-j", "MARK", "--set-mark", "0x1");
        Assert.Equal(QueuePath.Compat, await installer.InstallAsync(Rules, cancellationToken: ct));
        Assert.Equal(QueuePath.Compat, await installer.ActivePathAsync(ct));
        var v4 = await ns.ExecCheckedAsync("iptables", "-t", "mangle", "-S", QueueRuleInstaller.CompatChain);
        Assert.Contains("--queue-balance 0:1 --queue-bypass --queue-cpu-fanout", v4.StdOut);
        Assert.Contains("-j MARK --set-xmark 0x800000/0x800000", v4.StdOut);
        Assert.Contains("-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -m conntrack --ctstate NEW", v4.StdOut);
        Assert.Contains("! -p tcp -m conntrack --ctstate NEW", v4.StdOut);
        var mangle = (await ns.ExecCheckedAsync("iptables", "-t", "mangle", "-S", "OUTPUT")).StdOut.Split('\n');
        Assert.True(Array.FindIndex(mangle, l => l.Contains("--dport 51820")) < Array.FindIndex(mangle, l => l.Contains("-j OUTGATE-QUEUE")), string.Join('\n', mangle));
        Assert.Contains("! -o lo -j OUTGATE-QUEUE", (await ns.ExecCheckedAsync("ip6tables", "-t", "mangle", "-S", "OUTPUT")).StdOut);
        Assert.DoesNotContain("OUTGATE", (await ns.ExecCheckedAsync("iptables", "-S")).StdOut); // nothing in filter
        var table = await ns.ExecCheckedAsync("nft", "list", "table", "inet", QueueRuleInstaller.NativeTable);
        Assert.Contains("ct mark set meta mark", table.StdOut);
        Assert.DoesNotContain("outgate_queue_probe", (await ns.ExecCheckedAsync("nft", "list", "tables")).StdOut);

        // Installing again replaces, not duplicates.
        await installer.InstallAsync(Rules, cancellationToken: ct);
        var output = (await ns.ExecCheckedAsync("iptables", "-t", "mangle", "-S", "OUTPUT")).StdOut;
        Assert.Single(output.Split('\n'), l => l.Contains("-j OUTGATE-QUEUE"));

        // The native ruleset parses; this kernel only lacks the queue expression (CONFIG_NFT_QUEUE),
        // and the failed transaction leaves nothing behind.
        var native = await Assert.ThrowsAsync<QueueRuleException>(() => installer.InstallAsync(Rules, QueuePath.Native, ct));
        Assert.Contains("No such file or directory", native.Message);
        Assert.Contains("queue num 0-1 bypass,fanout", native.Message);
        Assert.DoesNotContain("syntax error", native.Message);
        Assert.Equal(QueuePath.None, await installer.ActivePathAsync(ct));

        await installer.InstallAsync(Rules, cancellationToken: ct);
        await installer.RemoveAsync(ct);
        Assert.Equal(QueuePath.None, await installer.ActivePathAsync(ct));
        Assert.DoesNotContain("OUTGATE", (await ns.ExecCheckedAsync("iptables", "-t", "mangle", "-S")).StdOut);
        Assert.DoesNotContain("OUTGATE", (await ns.ExecCheckedAsync("ip6tables", "-t", "mangle", "-S")).StdOut);
        Assert.DoesNotContain("outgate", (await ns.ExecCheckedAsync("nft", "list", "tables")).StdOut);
        Assert.Contains("--dport 51820", (await ns.ExecCheckedAsync("iptables", "-t", "mangle", "-S", "OUTPUT")).StdOut);
    }

    [Fact]
    public async Task Remove_also_clears_the_layout_of_older_versions()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("qo");
        var ct = TestContext.Current.CancellationToken;
        // The previous layout: chain in table filter jumped to first from OUTPUT, after_queue in the native table.
        foreach (var tool in (string[])["iptables", "ip6tables"])
        {
            await ns.ExecCheckedAsync(tool, "-N", QueueRuleInstaller.CompatChain);
            await ns.ExecCheckedAsync(tool, "-A", QueueRuleInstaller.CompatChain, "-m", "conntrack", "--ctstate", "NEW", "-j", "NFQUEUE", "--queue-num", "0", "--queue-bypass");
            await ns.ExecCheckedAsync(tool, "-I", "OUTPUT", "1", "!", "-o", "lo", "-j", QueueRuleInstaller.CompatChain);
        }
        var old = await Shell.RunAsync("ip", ["netns", "exec", ns.Name, "nft", "-f", "-"],
            "table inet outgate_queue {\n chain after_queue {\n type filter hook output priority filter + 10; policy accept;\n meta mark & 0x00800000 == 0x00800000 reject\n }\n}\n");
        Assert.True(old.ExitCode == 0, old.ToString());

        await new QueueRuleInstaller(ns.Name).RemoveAsync(ct);
        Assert.DoesNotContain("OUTGATE", (await ns.ExecCheckedAsync("iptables", "-S")).StdOut);
        Assert.DoesNotContain("OUTGATE", (await ns.ExecCheckedAsync("ip6tables", "-S")).StdOut);
        Assert.DoesNotContain("outgate", (await ns.ExecCheckedAsync("nft", "list", "tables")).StdOut);
    }
}
