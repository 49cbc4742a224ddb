using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Outgate.Linux.Conntrack;
using Outgate.Linux.Netlink;
using Outgate.Linux.Queue;
using Outgate.Linux.Tests.Queue;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Conntrack;

public class ConntrackDumpTests
{
    [Fact]
    public async Task Dump_shows_a_live_connection_with_the_bytes_sent_and_received_so_far()
    {
        NetworkNamespace.SkipUnlessRoot();
        // Queue rules without a daemon (bypass): -m conntrack loads conntrack in the client namespace.
        await using var bed = await QueueTestBed.CreateAsync(new QueueRuleOptions(), staticTable: false);
        bed.Listen(9191);
        NetworkNamespaceScope.Run(bed.Client.Name, () => ConntrackSettings.EnableAccounting());
        using var dump = NetworkNamespaceScope.Run(bed.Client.Name, ConntrackDump.Open);

        var (socket, error, _) = await bed.ConnectAsync(9191, TimeSpan.FromSeconds(5));
        Assert.Equal(SocketError.Success, error);
        using (socket)
        {
            var port = (ushort)((IPEndPoint)socket!.LocalEndPoint!).Port;
            await socket.SendAsync(new byte[200_000], TestContext.Current.CancellationToken);

            // The counters trail the socket by the packets still in flight: read until they caught up (bounded).
            ConntrackEvent? entry = null;
            for (var attempt = 0; attempt < 50 && entry?.OriginalCounters?.Bytes is not > 200_000; attempt++)
            {
                if (attempt > 0) await Task.Delay(20, TestContext.Current.CancellationToken);
                entry = Find(dump, port);
            }
            var found = Assert.IsType<ConntrackEvent>(entry);
            Assert.Equal((AddressFamily.InterNetwork, (byte)6, bed.ClientAddress, bed.ServerAddress, (ushort)9191),
                (found.Original.Family, found.Original.Protocol, found.Original.SourceAddress, found.Original.DestinationAddress, found.Original.DestinationPort));
            Assert.NotNull(found.Id);
            Assert.True(found.OriginalCounters!.Value.Bytes > 200_000, $"original bytes {found.OriginalCounters}");
            Assert.True(found.ReplyCounters!.Value.Bytes > 0, $"reply bytes {found.ReplyCounters}");
            Assert.Equal(0, dump.Malformed);
        }
    }

    [Fact]
    public async Task Dump_reads_ten_thousand_flows_and_reports_its_cost()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var bed = await QueueTestBed.CreateAsync(new QueueRuleOptions(), staticTable: false);
        NetworkNamespaceScope.Run(bed.Client.Name, () => ConntrackSettings.EnableAccounting());
        await bed.Client.ExecCheckedAsync("sysctl", "-qw", "net.netfilter.nf_conntrack_max=65536");
        // 10,000 UDP flows: one datagram to each of 10,000 ports of the peer (unreplied entries live 30 s).
        NetworkNamespaceScope.Run(bed.Client.Name, () =>
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var payload = new byte[16];
            for (var port = 20_000; port < 30_000; port++) udp.SendTo(payload, new IPEndPoint(bed.ServerAddress, port));
            return 0;
        });
        using var dump = NetworkNamespaceScope.Run(bed.Client.Name, ConntrackDump.Open);

        var entries = 0;
        var counted = new Counter();
        var times = new List<double>();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        for (var round = 0; round < 10; round++)
        {
            counted.Value = 0;
            var started = Stopwatch.GetTimestamp();
            entries = dump.Read(static (in ConntrackEvent e, Counter c) => { if (e.Original.Protocol == 17 && e.OriginalCounters is { Bytes: > 0 }) c.Value++; }, counted);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        Assert.True(entries >= 10_000, $"dumped {entries} entries");
        Assert.True(counted.Value >= 10_000, $"{counted.Value} UDP entries with counters");
        process.Refresh();
        var cpuPerDump = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / times.Count;
        times.Sort();
        // Wall time includes waiting for a CPU on a busy machine; CPU time (user + kernel, the whole test process) is the cost.
        var report = $"conntrack dump of {entries} entries with counters: CPU {cpuPerDump:0.0} ms per dump; wall median {times[times.Count / 2]:0.0} ms, min {times[0]:0.0} ms, max {times[^1]:0.0} ms over {times.Count} dumps";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        // The test runner swallows output of passing tests; OUTGATE_BENCH_OUT=file keeps the numbers.
        if (Environment.GetEnvironmentVariable("OUTGATE_BENCH_OUT") is { Length: > 0 } file) File.AppendAllText(file, report + "\n");
    }

    private sealed class Counter { public int Value; }

    private static ConntrackEvent? Find(ConntrackDump dump, ushort sourcePort)
    {
        var found = new List<ConntrackEvent>();
        dump.Read(static (in ConntrackEvent e, (List<ConntrackEvent> Found, ushort Port) s) =>
        {
            if (e.Original.SourcePort == s.Port && e.Original.Protocol == 6) s.Found.Add(e);
        }, (found, sourcePort));
        return found.Count == 0 ? null : found[0];
    }
}
