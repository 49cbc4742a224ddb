using System.Net;
using System.Net.Sockets;
using Outgate.Cli.Connections;
using CsCheck;
using Outgate.Linux.SockDiag;

namespace Outgate.Cli.Tests.Connections;

public class ConnectionQueryTests
{
    internal static ConnectionRow Row(SocketProtocol proto = SocketProtocol.Tcp, string local = "10.0.0.1", ushort lport = 40000,
        string remote = "10.0.0.2", ushort rport = 443, SocketState state = SocketState.Established, uint uid = 1000,
        string? user = "alice", int? pid = 42, string? program = "curl", string? exe = "/usr/bin/curl", ulong inode = 1234) => new()
    {
        Protocol = proto,
        LocalAddress = IPAddress.Parse(local),
        LocalPort = lport,
        RemoteAddress = IPAddress.Parse(remote),
        RemotePort = rport,
        State = state,
        Uid = uid,
        UserName = user,
        Inode = inode,
        Pid = pid,
        Pids = pid is { } p ? [p] : [],
        Program = program,
        ExecutablePath = exe,
    };

    [Fact]
    public void Listening_includes_tcp_listen_and_unconnected_udp_but_not_established()
    {
        var q = new ConnectionQuery { Listening = true };
        Assert.True(q.Matches(Row(state: SocketState.Listen, remote: "0.0.0.0", rport: 0)));
        Assert.True(q.Matches(Row(proto: SocketProtocol.Udp, state: SocketState.Close, remote: "0.0.0.0", rport: 0)));
        Assert.False(q.Matches(Row()));
        Assert.False(q.Matches(Row(state: SocketState.Close)));
    }

    [Fact]
    public void App_matches_process_name_executable_basename_or_exact_path()
    {
        Assert.True(new ConnectionQuery { App = "curl" }.Matches(Row(program: "curl-worker", exe: "/usr/bin/curl")));
        Assert.True(new ConnectionQuery { App = "curl" }.Matches(Row(program: "curl", exe: null)));
        Assert.True(new ConnectionQuery { App = "/usr/bin/curl" }.Matches(Row()));
        Assert.False(new ConnectionQuery { App = "/bin/curl" }.Matches(Row()));
        Assert.False(new ConnectionQuery { App = "wget" }.Matches(Row()));
    }

    [Fact]
    public void User_matches_name_or_uid()
    {
        Assert.True(new ConnectionQuery { User = "alice" }.Matches(Row()));
        Assert.True(new ConnectionQuery { User = "1000" }.Matches(Row()));
        Assert.False(new ConnectionQuery { User = "0" }.Matches(Row()));
        Assert.False(new ConnectionQuery { User = "bob" }.Matches(Row()));
    }

    [Fact]
    public void Port_matches_local_or_remote_port_but_not_an_unset_remote_port()
    {
        PortFilter.TryParse("443", out var p443, out _);
        Assert.True(new ConnectionQuery { Ports = p443 }.Matches(Row()));
        Assert.True(new ConnectionQuery { Ports = p443 }.Matches(Row(lport: 443, rport: 5555)));
        Assert.False(new ConnectionQuery { Ports = p443 }.Matches(Row(rport: 80)));
    }

    [Fact]
    public void Remote_cidr_matches_ipv4_mapped_addresses_and_never_unconnected_sockets()
    {
        Assert.True(ConnectionsCommand.TryParseNetwork("10.0.0.0/8", out var net));
        var q = new ConnectionQuery { Remote = [net] };
        Assert.True(q.Matches(Row()));
        Assert.True(q.Matches(Row(local: "::ffff:10.0.0.1", remote: "::ffff:10.9.9.9")));
        Assert.False(q.Matches(Row(remote: "192.168.1.1")));
        Assert.False(new ConnectionQuery { Remote = [IPNetwork.Parse("0.0.0.0/0")] }.Matches(Row(remote: "0.0.0.0", rport: 0, state: SocketState.Listen)));
    }

    [Fact]
    public void State_unconn_selects_only_datagram_sockets_in_close()
    {
        var q = new ConnectionQuery { StateUnconnected = true };
        Assert.True(q.Matches(Row(proto: SocketProtocol.Udp, state: SocketState.Close)));
        Assert.False(q.Matches(Row(proto: SocketProtocol.Tcp, state: SocketState.Close)));
        var close = new ConnectionQuery { States = new HashSet<SocketState> { SocketState.Close } };
        Assert.True(close.Matches(Row(proto: SocketProtocol.Tcp, state: SocketState.Close)));
        Assert.False(close.Matches(Row(proto: SocketProtocol.Udp, state: SocketState.Close)));
    }

    [Fact]
    public void Pid_filter_matches_any_holder_of_a_shared_socket()
    {
        var row = Row() with { Pids = [42, 43] };
        Assert.True(new ConnectionQuery { Pids = new HashSet<int> { 43 } }.Matches(row));
        Assert.False(new ConnectionQuery { Pids = new HashSet<int> { 44 } }.Matches(row));
    }

    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5/32")]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("2001:db8::1/32", "2001:db8::/32")]
    [InlineData("::1", "::1/128")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Networks_are_parsed_and_host_bits_masked(string text, string expected)
    {
        Assert.True(ConnectionsCommand.TryParseNetwork(text, out var net));
        Assert.Equal(expected, net.ToString());
    }

    [Theory]
    [InlineData("10.0.0/8")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("10.1")]
    [InlineData("10.0.0.0/33")]
    [InlineData("::1/129")]
    [InlineData("fe80::1%eth0")]
    [InlineData("example.com")]
    [InlineData("any")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("")]
    public void Bad_networks_are_refused(string text) => Assert.False(ConnectionsCommand.TryParseNetwork(text, out _));

    [Fact]
    public void Network_parsing_never_throws_on_garbage() =>
        Gen.String.Sample(s => { ConnectionsCommand.TryParseNetwork(s, out _); PortFilter.TryParse(s, out _, out _); SocketNames.TryParseState(s, out _, out _); });

    [Fact]
    public void Families_default_to_both() =>
        Assert.Equal([AddressFamily.InterNetwork, AddressFamily.InterNetworkV6], new ConnectionQuery().Families);
}
