using System.Net;
using System.Net.Sockets;
using Outgate.Linux.Netlink;
using Outgate.Linux.Queue;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Queue;

/// <summary>
/// Two namespaces joined by a veth: the client side gets the queue rules (compat path: this
/// kernel has no nft queue), the server side a TCP echo listener. The client side also gets
/// <see cref="StandInStaticTable"/> unless asked not to.
/// Everything is removed on dispose, namespaces last.
/// </summary>
internal sealed class QueueTestBed : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];

    public required NetworkNamespace Client { get; init; }
    public required NetworkNamespace Server { get; init; }
    public required int Subnet { get; init; }
    public required QueueRuleInstaller Installer { get; init; }

    public IPAddress ServerAddress => IPAddress.Parse($"10.{Subnet}.0.2");
    public IPAddress ClientAddress => IPAddress.Parse($"10.{Subnet}.0.1");
    public IPAddress ServerAddress6 => IPAddress.Parse($"fd00:{Subnet}::2");
    public IPAddress ClientAddress6 => IPAddress.Parse($"fd00:{Subnet}::1");

    /// <summary>
    /// Stands in for the compiled static table <c>inet outgate</c> (priority filter, after the
    /// queue): the daemon's allow bit accepts, its deny bit rejects at once, and a packet still
    /// carrying the queued bit (nobody answered: bypass) is dropped. Marks as in DaemonMarks.
    /// </summary>
    public const string StandInStaticTable = """
        table inet outgate {
          chain output {
            type filter hook output priority filter; policy accept;
            meta mark & 0x00200000 == 0x00200000 accept
            meta mark & 0x00400000 == 0x00400000 meta l4proto tcp reject with tcp reset
            meta mark & 0x00400000 == 0x00400000 reject
            meta mark & 0x00800000 == 0x00800000 drop
          }
        }

        """;

    /// <param name="rules">Queue rules to install in the client namespace (compat path), or none.</param>
    /// <param name="staticTable">Also load <see cref="StandInStaticTable"/> there.</param>
    public static async Task<QueueTestBed> CreateAsync(QueueRuleOptions? rules = null, bool staticTable = true)
    {
        var client = await NetworkNamespace.CreateAsync("qc");
        NetworkNamespace? server = null;
        try
        {
            server = await NetworkNamespace.CreateAsync("qs");
            var subnet = Random.Shared.Next(100, 250);
            await client.ConnectAsync(server, subnet);
            var installer = new QueueRuleInstaller(client.Name);
            var bed = new QueueTestBed { Client = client, Server = server, Subnet = subnet, Installer = installer };
            if (rules is not null)
            {
                var path = await installer.InstallAsync(rules, cancellationToken: TestContext.Current.CancellationToken);
                Assert.Equal(QueuePath.Compat, path);
                await client.ExecCheckedAsync("sysctl", "-qw", "net.netfilter.nf_conntrack_acct=0", "net.netfilter.nf_conntrack_timestamp=1");
            }
            if (staticTable) await bed.LoadStaticTableAsync();
            return bed;
        }
        catch
        {
            if (server is not null) await server.DisposeAsync();
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Loads <see cref="StandInStaticTable"/> in the client namespace.</summary>
    public async Task LoadStaticTableAsync()
    {
        var result = await Shell.RunAsync("ip", ["netns", "exec", Client.Name, "nft", "-f", "-"], StandInStaticTable);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>Listens on the server side; each accepted connection echoes what it reads until EOF, then closes.</summary>
    public void Listen(int port, bool ipv6 = false)
    {
        var listener = NetworkNamespaceScope.Run(Server.Name, () =>
        {
            var s = new Socket(ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(ipv6 ? ServerAddress6 : ServerAddress, port));
            s.Listen(512);
            return s;
        });
        _listeners.Add(listener);
        _acceptLoops.Add(Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket accepted;
                try { accepted = await listener.AcceptAsync(_stop.Token); }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
                _ = Task.Run(async () =>
                {
                    using (accepted)
                    {
                        var buffer = new byte[4096];
                        try
                        {
                            int n;
                            while ((n = await accepted.ReceiveAsync(buffer, _stop.Token)) > 0)
                                await accepted.SendAsync(buffer.AsMemory(0, n), _stop.Token);
                        }
                        catch (Exception ex) when (ex is OperationCanceledException or SocketException) { }
                    }
                });
            }
        }));
    }

    /// <summary>A TCP socket created inside the client namespace (usable from any thread).</summary>
    public Socket NewClientSocket(bool ipv6 = false) =>
        NetworkNamespaceScope.Run(Client.Name, () => new Socket(ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

    /// <summary>Connects from the client namespace; returns the socket or the socket error, and how long it took.</summary>
    public async Task<(Socket? Socket, SocketError Error, TimeSpan Elapsed)> ConnectAsync(int port, TimeSpan timeout, bool ipv6 = false)
    {
        var socket = NewClientSocket(ipv6);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(ipv6 ? ServerAddress6 : ServerAddress, port), cts.Token);
            return (socket, SocketError.Success, watch.Elapsed);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            return (null, ex.SocketErrorCode, watch.Elapsed);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            return (null, SocketError.TimedOut, watch.Elapsed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var l in _listeners) l.Dispose();
        try { await Task.WhenAll(_acceptLoops).WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
        try { await Installer.RemoveAsync(CancellationToken.None); } catch (QueueRuleException) { }
        await Server.DisposeAsync();
        await Client.DisposeAsync();
        _stop.Dispose();
    }
}
