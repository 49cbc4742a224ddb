using System.Net;
using System.Net.Sockets;
using Outgate.Linux.Conntrack;
using Outgate.Linux.Netlink;
using Outgate.Linux.Queue;
using Outgate.Linux.Tests.Queue;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Conntrack;

public class ConntrackEventListenerTests
{
    [Fact]
    public async Task Destroy_event_after_close_carries_both_directions_byte_counters_and_the_NEW_events_id()
    {
        NetworkNamespace.SkipUnlessRoot();
        // Queue rules without the static table: bypassed packets go out, no daemon needed, but -m conntrack loads conntrack in the namespace.
        await using var bed = await QueueTestBed.CreateAsync(new QueueRuleOptions(), staticTable: false);
        await bed.Client.ExecCheckedAsync("sysctl", "-qw", "net.netfilter.nf_conntrack_tcp_timeout_time_wait=1",
            "net.netfilter.nf_conntrack_tcp_timeout_fin_wait=1", "net.netfilter.nf_conntrack_tcp_timeout_close=1",
            "net.netfilter.nf_conntrack_tcp_timeout_last_ack=1", "net.netfilter.nf_conntrack_tcp_timeout_close_wait=1");
        bed.Listen(9090);
        using var listener = NetworkNamespaceScope.Run(bed.Client.Name, () => ConntrackEventListener.Open());

        NetworkNamespaceScope.Run(bed.Client.Name, () => ConntrackSettings.EnableAccounting());
        Assert.True(NetworkNamespaceScope.Run(bed.Client.Name, ConntrackSettings.IsAccountingEnabled));
        Assert.Equal("1", (await bed.Client.ExecCheckedAsync("sysctl", "-n", "net.netfilter.nf_conntrack_acct")).StdOut.Trim());

        var (socket, error, _) = await bed.ConnectAsync(9090, TimeSpan.FromSeconds(5));
        Assert.Equal(SocketError.Success, error);
        ushort port;
        using (socket)
        {
            port = (ushort)((IPEndPoint)socket!.LocalEndPoint!).Port;
            await socket.SendAsync(new byte[10_000], TestContext.Current.CancellationToken);
            socket.Shutdown(SocketShutdown.Both);
        }

        var events = ConntrackTestEvents.Collect(listener, e => e.Original.SourcePort == port, TimeSpan.FromSeconds(4), e => e.Type == ConntrackEventType.Destroy);
        if (!events.Any(e => e.Type == ConntrackEventType.Destroy))
        {
            // Measured: with 1-s TCP timeouts the DESTROY still had not come after 6 s; the kernel
            // reports it when its GC worker reaps the entry. Deleting the entry sends the same event.
            await bed.Client.ExecAsync("conntrack", "-D", "-p", "tcp", "--sport", port.ToString());
            events.AddRange(ConntrackTestEvents.Collect(listener, e => e.Original.SourcePort == port, TimeSpan.FromSeconds(3), e => e.Type == ConntrackEventType.Destroy));
        }
        var created = Assert.Single(events, e => e.Type == ConntrackEventType.New);
        var destroyed = Assert.Single(events, e => e.Type == ConntrackEventType.Destroy);
        Assert.Equal((AddressFamily.InterNetwork, (byte)6, bed.ClientAddress, bed.ServerAddress, (ushort)9090),
            (destroyed.Original.Family, destroyed.Original.Protocol, destroyed.Original.SourceAddress, destroyed.Original.DestinationAddress, destroyed.Original.DestinationPort));
        Assert.Equal((bed.ServerAddress, (ushort)9090, port), (destroyed.Reply.SourceAddress, destroyed.Reply.SourcePort, destroyed.Reply.DestinationPort));
        Assert.NotNull(created.Id);
        Assert.Equal(created.Id, destroyed.Id);
        var sent = destroyed.OriginalCounters!.Value;
        var received = destroyed.ReplyCounters!.Value;
        Assert.True(sent.Bytes > 10_000, $"original bytes {sent.Bytes}");
        Assert.True(sent.Packets >= 3, $"original packets {sent.Packets}");
        Assert.True(received.Packets >= 2 && received.Bytes > 0, $"reply {received}");
        Assert.NotNull(destroyed.StartNanoseconds);
        Assert.Equal(0, listener.Overruns);
    }
}
