using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Outgate.Linux.Bpf;
using Outgate.Linux.Netlink;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Bpf;

/// <summary>
/// The kernel cache's programs on the real kernel: this test process registers itself, connects from inside a
/// namespace of its own and reads back the mark the connect hook gave the socket. Programs attach to the cgroup v2
/// root but act only in the test's namespace (its cookie is compiled in).
/// </summary>
public class ConnectVerdictCacheTests
{
    private const uint Mark = ConnectVerdictCache.KernelMark | 0x0020_0000 | 0x2a;

    [Fact]
    public async Task A_registered_process_connecting_to_a_cached_destination_gets_the_verdict_mark()
    {
        await using var ns = await NetworkNamespace.CreateAsync("bpf");
        using var cache = Open(ns);
        using var listener = Listen(ns, IPAddress.Loopback, out var port);
        Register(cache, appId: 7);
        Assert.True(cache.SetVerdict(7, new IPEndPoint(IPAddress.Loopback, port), Mark, TimeSpan.FromMinutes(1), namesVersion: 3));

        Assert.Equal(Mark, ConnectAndReadMark(ns, IPAddress.Loopback, port));
        Assert.Equal(1ul, cache.Hits);
        // Another port of the same host was never decided.
        using var other = Listen(ns, IPAddress.Loopback, out var otherPort);
        Assert.Equal(0u, ConnectAndReadMark(ns, IPAddress.Loopback, otherPort));
    }

    [Fact]
    public async Task Invalidating_expiring_or_new_names_void_the_verdict()
    {
        await using var ns = await NetworkNamespace.CreateAsync("bpf");
        using var cache = Open(ns);
        using var listener = Listen(ns, IPAddress.Loopback, out var port);
        var destination = new IPEndPoint(IPAddress.Loopback, port);
        Register(cache, appId: 7);

        Assert.True(cache.SetVerdict(7, destination, Mark, TimeSpan.FromMinutes(1), namesVersion: 3));
        cache.Invalidate();
        Assert.Equal(0u, ConnectAndReadMark(ns, IPAddress.Loopback, port));

        Assert.True(cache.SetVerdict(7, destination, Mark, TimeSpan.FromMinutes(1), namesVersion: 3));
        cache.SetNamesVersion(IPAddress.Loopback, 4);
        Assert.Equal(0u, ConnectAndReadMark(ns, IPAddress.Loopback, port));
        Assert.False(cache.SetVerdict(7, destination, Mark, TimeSpan.FromMinutes(1), namesVersion: 3)); // decided on old names
        Assert.True(cache.SetVerdict(7, destination, Mark, TimeSpan.FromMinutes(1), namesVersion: 4));
        Assert.Equal(Mark, ConnectAndReadMark(ns, IPAddress.Loopback, port));

        Assert.True(cache.SetVerdict(7, destination, Mark, TimeSpan.FromMilliseconds(1), namesVersion: 4));
        Thread.Sleep(5);
        Assert.Equal(0u, ConnectAndReadMark(ns, IPAddress.Loopback, port));
    }

    [Fact]
    public async Task Unregistered_processes_other_namespaces_and_other_uids_are_left_to_the_queue()
    {
        await using var ns = await NetworkNamespace.CreateAsync("bpf");
        await using var elsewhere = await NetworkNamespace.CreateAsync("bpf");
        using var cache = Open(ns);
        using var listener = Listen(ns, IPAddress.Loopback, out var port);
        using var listenerElsewhere = Listen(elsewhere, IPAddress.Loopback, out var portElsewhere);
        Assert.True(cache.SetVerdict(7, new IPEndPoint(IPAddress.Loopback, port), Mark, TimeSpan.FromMinutes(1), 3));
        Assert.True(cache.SetVerdict(7, new IPEndPoint(IPAddress.Loopback, portElsewhere), Mark, TimeSpan.FromMinutes(1), 3));

        Assert.Equal(0u, ConnectAndReadMark(ns, IPAddress.Loopback, port)); // not registered yet
        Register(cache, appId: 7, uid: 12345);
        Assert.Equal(0u, ConnectAndReadMark(ns, IPAddress.Loopback, port)); // registered under another uid
        Register(cache, appId: 7);
        Assert.Equal(0u, ConnectAndReadMark(elsewhere, IPAddress.Loopback, portElsewhere)); // not the served namespace
        Assert.Equal(Mark, ConnectAndReadMark(ns, IPAddress.Loopback, port));
        Assert.True(cache.ForgetProcess(Environment.ProcessId));
        Assert.Equal(0u, ConnectAndReadMark(ns, IPAddress.Loopback, port));
    }

    [Fact]
    public async Task A_socket_that_brings_the_kernel_bit_along_loses_our_bits_and_keeps_its_own()
    {
        await using var ns = await NetworkNamespace.CreateAsync("bpf");
        using var cache = Open(ns);
        using var listener = Listen(ns, IPAddress.Loopback, out var port);
        Register(cache, appId: 7);
        Assert.True(cache.SetVerdict(7, new IPEndPoint(IPAddress.Loopback, port), Mark, TimeSpan.FromMinutes(1), 3));

        Assert.Equal(0x0000_0101u, ConnectAndReadMark(ns, IPAddress.Loopback, port, presetMark: ConnectVerdictCache.KernelMark | 0x0020_0000 | 0x101));
        Assert.Equal(0x0000_0101u, ConnectAndReadMark(ns, IPAddress.Loopback, port, presetMark: 0x101)); // a mark of its own: untouched, queued
    }

    [Fact]
    public async Task An_exec_after_the_daemon_looked_voids_the_registration()
    {
        await using var ns = await NetworkNamespace.CreateAsync("bpf");
        using var cache = Open(ns);
        // A child that execs: its stamp is newer than an observation taken before the exec.
        var before = Stopwatch.GetTimestamp();
        using var child = Process.Start(new ProcessStartInfo("sleep", "5") { UseShellExecute = false })!;
        try
        {
            SpinWait.SpinUntil(() => cache.ExecStamp(child.Id) != 0, TimeSpan.FromSeconds(5));
            Assert.True(cache.ExecStamp(child.Id) > (ulong)before);
            Assert.False(cache.SetProcess(child.Id, 7, 0, 0, 1, before));
            Assert.True(cache.SetProcess(child.Id, 7, 0, 0, 1, Stopwatch.GetTimestamp()));
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        SpinWait.SpinUntil(() => cache.ExecStamp(child.Id) == 0, TimeSpan.FromSeconds(5));
        Assert.Equal(0ul, cache.ExecStamp(child.Id)); // forgotten at exit: the pid may be reused
        Assert.False(cache.ForgetProcess(child.Id));
    }

    [Fact]
    public void A_program_the_verifier_refuses_says_why()
    {
        NetworkNamespace.SkipUnlessRoot();
        var code = new BpfAssembler().Exit().Build(); // r0 never set
        var error = Assert.Throws<BpfException>(() => BpfProgram.Load(BpfProgramType.CgroupSockAddr, BpfAttachType.CgroupInet4Connect, code, "og_bad"));
        Assert.Contains("og_bad", error.Message, StringComparison.Ordinal);
        Assert.Contains("R0", error.VerifierLog, StringComparison.Ordinal);
        Assert.Contains("verifier:", error.Message, StringComparison.Ordinal);
    }

    private static ConnectVerdictCache Open(NetworkNamespace ns)
    {
        NetworkNamespace.SkipUnlessRoot();
        var cookie = NetworkNamespaceScope.Run(ns.Name, ConnectVerdictCache.NetnsCookieOfCurrentNamespace);
        try
        {
            return ConnectVerdictCache.Open(cookie);
        }
        catch (BpfException ex) when (ex.Errno is 1 or 13)
        {
            Assert.Skip($"the kernel refused BPF here: {ex.Message}");
            throw;
        }
    }

    private static void Register(ConnectVerdictCache cache, uint appId, uint? uid = null)
    {
        var self = Environment.ProcessId;
        var status = File.ReadAllLines($"/proc/{self}/status");
        uint Id(string field) => uint.Parse(status.First(l => l.StartsWith(field, StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture);
        var cgroup = File.ReadAllLines($"/proc/{self}/cgroup").First(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];
        var cgroupId = ConnectVerdictCache.CgroupIdOf(ConnectVerdictCache.FindCgroup2Root()!, cgroup);
        Assert.True(cache.SetProcess(self, appId, uid ?? Id("Uid:"), Id("Gid:"), cgroupId, Stopwatch.GetTimestamp()));
    }

    private static Socket Listen(NetworkNamespace ns, IPAddress address, out int port)
    {
        var socket = NetworkNamespaceScope.Run(ns.Name, () =>
        {
            var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(address, 0));
            s.Listen(16);
            return s;
        });
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    private static uint ConnectAndReadMark(NetworkNamespace ns, IPAddress address, int port, uint presetMark = 0)
    {
        using var socket = NetworkNamespaceScope.Run(ns.Name, () => new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        if (presetMark != 0) socket.SetRawSocketOption(1 /* SOL_SOCKET */, 36 /* SO_MARK */, BitConverter.GetBytes(presetMark));
        socket.Connect(new IPEndPoint(address, port));
        var value = new byte[4];
        socket.GetRawSocketOption(1, 36, value);
        return BitConverter.ToUInt32(value);
    }
}
