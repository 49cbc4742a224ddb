using System.Buffers.Binary;
using Outgate.Linux.Netlink;
using Outgate.Linux.SockDiag;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Netlink;

public class NetlinkSocketTests
{
    [Fact]
    public void Opens_a_sock_diag_socket_with_a_port_id_and_accepts_the_options()
    {
        using var socket = new NetlinkSocket(NetlinkConstants.NETLINK_SOCK_DIAG);
        Assert.NotEqual(0u, socket.PortId);
        socket.SetExtendedAck(true);
        socket.SetNoEnobufs(true);
        socket.SetStrictCheck(true);
        socket.SetReceiveBufferSize(1 << 20);
        if (NetworkNamespace.IsRoot) socket.SetReceiveBufferSize(4 << 20, force: true);
        socket.ReceiveTimeout = TimeSpan.FromMilliseconds(1500);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), socket.ReceiveTimeout);
    }

    [Fact]
    public void Sequence_numbers_are_fresh_and_never_zero()
    {
        using var socket = new NetlinkSocket(NetlinkConstants.NETLINK_SOCK_DIAG);
        var first = socket.NextSequence();
        Assert.NotEqual(0u, first);
        Assert.Equal(first + 1, socket.NextSequence());
    }

    [Fact]
    public void An_unknown_netlink_protocol_fails_with_the_syscall_and_errno_name()
    {
        var ex = Assert.Throws<NetlinkException>(() => new NetlinkSocket(31));
        Assert.Contains("socket(AF_NETLINK", ex.Message);
        Assert.Equal("EPROTONOSUPPORT", ex.ErrnoName);
        Assert.Equal(93, ex.Errno);
    }

    [Fact]
    public void A_request_the_kernel_rejects_becomes_a_NetlinkException_with_the_errno_name()
    {
        using var socket = new NetlinkSocket(NetlinkConstants.NETLINK_SOCK_DIAG);
        socket.SetExtendedAck(true);
        var request = new byte[InetDiagRequest.Size];
        InetDiagRequest.WriteDump(request, socket.NextSequence(), family: 200, protocol: 6, extensions: 0); // family >= AF_MAX
        var error = Assert.Throws<NetlinkException>(() => Request(socket, request));
        Assert.Equal("EINVAL", error.ErrnoName);
        Assert.Contains("test request failed: EINVAL (", error.Message);
    }

    [Fact]
    public void A_request_with_NLM_F_ACK_ends_at_the_ack()
    {
        using var socket = new NetlinkSocket(NetlinkConstants.NETLINK_SOCK_DIAG);
        var request = new byte[InetDiagRequest.Size];
        InetDiagRequest.WriteDump(request, socket.NextSequence(), SockDiagConstants.AF_INET, SockDiagConstants.IPPROTO_TCP, 0, states: 0);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(6), NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_DUMP | NetlinkConstants.NLM_F_ACK);
        Assert.Equal(0, Request(socket, request));
        // The socket is still in step: a second request works.
        InetDiagRequest.WriteDump(request, socket.NextSequence(), SockDiagConstants.AF_INET, SockDiagConstants.IPPROTO_TCP, 0, states: 0);
        Assert.Equal(0, Request(socket, request));
    }

    [Fact]
    public async Task Namespace_scope_runs_the_delegate_in_the_named_namespace()
    {
        NetworkNamespace.SkipUnlessRoot();
        await using var ns = await NetworkNamespace.CreateAsync("nsscope");
        {
            var here = new FileInfo("/proc/thread-self/ns/net").LinkTarget;
            var inside = NetworkNamespaceScope.Run(ns.Name, () => new FileInfo("/proc/thread-self/ns/net").LinkTarget);
            Assert.NotEqual(here, inside);
            Assert.Equal(here, new FileInfo("/proc/thread-self/ns/net").LinkTarget);
            var viaPath = NetworkNamespaceScope.Run($"/run/netns/{ns.Name}", () => new FileInfo("/proc/thread-self/ns/net").LinkTarget);
            Assert.Equal(inside, viaPath);
        }
    }

    [Fact]
    public void Namespace_scope_rethrows_the_delegate_exception_and_names_a_missing_namespace()
    {
        NetworkNamespace.SkipUnlessRoot();
        var missing = Assert.Throws<NetlinkException>(() => NetworkNamespaceScope.Run("og-does-not-exist", () => 1));
        Assert.Contains("/run/netns/og-does-not-exist", missing.Message);
        Assert.Throws<InvalidOperationException>(() => NetworkNamespaceScope.Run("/proc/self/ns/net", () => throw new InvalidOperationException("inner")));
    }

    private static int Request(NetlinkSocket socket, byte[] request) =>
        socket.Request(request, "test request", static (in NetlinkMessage _, int _) => { }, 0);
}
