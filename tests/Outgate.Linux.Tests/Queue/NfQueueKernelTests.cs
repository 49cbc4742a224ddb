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

    [Fact]
    public async Task Without_a_bound_queue_connections_fail_at_once_with_a_reset()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        bed.Listen(8081);
        var (socket, error, elapsed) = await bed.ConnectAsync(8081, TimeSpan.FromSeconds(5));
        socket?.Dispose();
        Assert.Equal(SocketError.ConnectionRefused, error);
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed}");
    }

    [Fact]
    public async Task IPv6_connections_are_queued_parsed_and_fail_fast_without_a_daemon()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        bed.Listen(8087, ipv6: true);
        var refused = await bed.ConnectAsync(8087, TimeSpan.FromSeconds(5), ipv6: true);
        Assert.Equal(SocketError.ConnectionRefused, refused.Error);
        Assert.True(refused.Elapsed < TimeSpan.FromSeconds(1), $"took {refused.Elapsed}");

        using var runner = new QueueRunner(bed.Client.Name, Rules.QueueNumbers, (_, _) => (NfQueueVerdict.Accept, null));
        var (socket, error, _) = await bed.ConnectAsync(8087, TimeSpan.FromSeconds(5), ipv6: true);
        socket?.Dispose();
        Assert.Equal(SocketError.Success, error);
        var syn = Assert.Single(runner.Seen, p => p.Flow.IsTcpSyn);
        Assert.Equal((AddressFamily.InterNetworkV6, bed.ClientAddress6, bed.ServerAddress6, (ushort)8087),
            (syn.Flow.Family, syn.Flow.SourceAddress, syn.Flow.DestinationAddress, syn.Flow.DestinationPort));
        Assert.Equal(0u, syn.Uid); // the test process
    }

    [Fact]
    public async Task Fail_open_rules_let_connections_out_without_a_daemon()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules with { FailOpen = true });
        bed.Listen(8082);
        var (socket, error, _) = await bed.ConnectAsync(8082, TimeSpan.FromSeconds(5));
        socket?.Dispose();
        Assert.Equal(SocketError.Success, error);
    }

    [Fact]
    public async Task Reject_mark_verdict_refuses_at_once_and_drop_verdict_leaves_the_client_waiting()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        bed.Listen(8083);
        bed.Listen(8084);
        using var runner = new QueueRunner(bed.Client.Name, Rules.QueueNumbers, (_, p) => p.Flow.DestinationPort == 8083
            ? (NfQueueVerdict.Accept, Rules.RejectMark)
            : (NfQueueVerdict.Drop, null));

        var rejected = await bed.ConnectAsync(8083, TimeSpan.FromSeconds(5));
        Assert.Equal(SocketError.ConnectionRefused, rejected.Error);
        Assert.True(rejected.Elapsed < TimeSpan.FromSeconds(1), $"took {rejected.Elapsed}");

        var dropped = await bed.ConnectAsync(8084, TimeSpan.FromMilliseconds(1500));
        Assert.Equal(SocketError.TimedOut, dropped.Error);
        Assert.Contains(runner.Seen, p => p.Flow.DestinationPort == 8084 && p.Flow.IsTcpSyn);
    }

    [Fact]
    public async Task Verdict_mark_becomes_the_conntrack_mark()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(Rules);
        bed.Listen(8085);
        using var listener = NetworkNamespaceScope.Run(bed.Client.Name, () => ConntrackEventListener.Open(ConntrackEventGroups.New));
        using var runner = new QueueRunner(bed.Client.Name, Rules.QueueNumbers, (_, _) => (NfQueueVerdict.Accept, 0x2a));

        var (socket, error, _) = await bed.ConnectAsync(8085, TimeSpan.FromSeconds(5));
        Assert.Equal(SocketError.Success, error);
        using (socket)
        {
            var port = (ushort)((IPEndPoint)socket!.LocalEndPoint!).Port;
            var events = ConntrackTestEvents.Collect(listener, e => e.Original.SourcePort == port, TimeSpan.FromSeconds(5));
            var created = Assert.Single(events);
            Assert.Equal(ConntrackEventType.New, created.Type);
            Assert.Equal(0x2au, created.Mark);
            var listed = await bed.Client.ExecCheckedAsync("conntrack", "-L", "-p", "tcp", "--sport", port.ToString());
            Assert.Contains("mark=42", listed.StdOut);
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

        Assert.Equal(QueuePath.Compat, await installer.InstallAsync(Rules, cancellationToken: ct));
        Assert.Equal(QueuePath.Compat, await installer.ActivePathAsync(ct));
        var v4 = await ns.ExecCheckedAsync("iptables", "-S", QueueRuleInstaller.CompatChain);
        Assert.Contains("--queue-balance 0:1 --queue-bypass --queue-cpu-fanout", v4.StdOut);
        Assert.Contains("-j MARK --set-xmark 0x800000/0x800000", v4.StdOut);
        Assert.Contains("-j OUTGATE-QUEUE", (await ns.ExecCheckedAsync("ip6tables", "-S", "OUTPUT")).StdOut);
        var table = await ns.ExecCheckedAsync("nft", "list", "table", "inet", QueueRuleInstaller.NativeTable);
        Assert.Contains("ct mark set meta mark", table.StdOut);
        Assert.DoesNotContain("outgate_queue_probe", (await ns.ExecCheckedAsync("nft", "list", "tables")).StdOut);

        // Installing again replaces, not duplicates.
        await installer.InstallAsync(Rules, cancellationToken: ct);
        var output = (await ns.ExecCheckedAsync("iptables", "-S", "OUTPUT")).StdOut;
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
        Assert.DoesNotContain("OUTGATE", (await ns.ExecCheckedAsync("iptables", "-S")).StdOut);
        Assert.DoesNotContain("OUTGATE", (await ns.ExecCheckedAsync("ip6tables", "-S")).StdOut);
        Assert.DoesNotContain("outgate", (await ns.ExecCheckedAsync("nft", "list", "tables")).StdOut);
    }
}
