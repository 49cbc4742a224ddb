using Outgate.Cli.Connections;
using Outgate.Linux.SockDiag;

namespace Outgate.Cli.Tests.Connections;

public class SocketNamesTests
{
    [Theory]
    [InlineData("listen", SocketState.Listen, false)]
    [InlineData("ESTABLISHED", SocketState.Established, false)]
    [InlineData("estab", SocketState.Established, false)]
    [InlineData("time-wait", SocketState.TimeWait, false)]
    [InlineData("TIME_WAIT", SocketState.TimeWait, false)]
    [InlineData("syn-sent", SocketState.SynSent, false)]
    [InlineData("unconn", SocketState.Close, true)]
    public void States_accept_netstat_and_ss_spellings(string text, SocketState state, bool unconn)
    {
        Assert.True(SocketNames.TryParseState(text, out var s, out var u));
        Assert.Equal(state, s);
        Assert.Equal(unconn, u);
    }

    [Fact]
    public void Datagram_socket_in_close_is_shown_as_unconn_and_tcp_as_close()
    {
        Assert.Equal("UNCONN", SocketNames.State(SocketProtocol.Udp, SocketState.Close));
        Assert.Equal("CLOSE", SocketNames.State(SocketProtocol.Tcp, SocketState.Close));
        Assert.Equal("LISTEN", SocketNames.State(SocketProtocol.Tcp, SocketState.Listen));
    }

    [Fact]
    public void Every_state_name_printed_is_accepted_back()
    {
        foreach (var state in Enum.GetValues<SocketState>())
        {
            if (state == SocketState.Unknown) continue;
            var name = SocketNames.State(SocketProtocol.Tcp, state);
            Assert.True(SocketNames.TryParseState(name, out var parsed, out _), name);
            Assert.Equal(name, SocketNames.State(SocketProtocol.Tcp, parsed));
        }
    }
}
