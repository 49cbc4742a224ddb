using System.Diagnostics.CodeAnalysis;
using Outgate.Linux.SockDiag;

namespace Outgate.Cli.Connections;

/// <summary>
/// Names for protocols and states, netstat-style (LISTEN, ESTABLISHED, TIME_WAIT, UNCONN), and the
/// parser for `--state`, which also takes ss's spellings (estab, time-wait) in any case.
/// </summary>
public static class SocketNames
{
    public static string Protocol(SocketProtocol p) => p switch
    {
        SocketProtocol.Tcp => "tcp",
        SocketProtocol.Udp => "udp",
        SocketProtocol.UdpLite => "udplite",
        SocketProtocol.Raw => "raw",
        _ => ((int)p).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string State(SocketProtocol protocol, SocketState state) => state switch
    {
        // A datagram socket in CLOSE is simply bound and unconnected: ss says UNCONN, so do we.
        SocketState.Close when protocol != SocketProtocol.Tcp => "UNCONN",
        SocketState.Established => "ESTABLISHED",
        SocketState.SynSent => "SYN_SENT",
        SocketState.SynRecv or SocketState.NewSynRecv => "SYN_RECV",
        SocketState.FinWait1 => "FIN_WAIT1",
        SocketState.FinWait2 => "FIN_WAIT2",
        SocketState.TimeWait => "TIME_WAIT",
        SocketState.Close => "CLOSE",
        SocketState.CloseWait => "CLOSE_WAIT",
        SocketState.LastAck => "LAST_ACK",
        SocketState.Listen => "LISTEN",
        SocketState.Closing => "CLOSING",
        _ => "UNKNOWN",
    };

    /// <summary>Every name <see cref="TryParseState"/> accepts, for error messages.</summary>
    public const string AcceptedStates =
        "listen, established (estab), syn_sent, syn_recv, fin_wait1, fin_wait2, time_wait, close, close_wait, last_ack, closing, unconn";

    /// <summary>
    /// Parses one state name. "unconn" is a pseudo-state (datagram socket in CLOSE) and is returned
    /// as <see cref="SocketState.Close"/> with <paramref name="unconnected"/> set.
    /// </summary>
    public static bool TryParseState(string text, out SocketState state, out bool unconnected)
    {
        unconnected = false;
        var t = text.Trim().ToLowerInvariant().Replace('-', '_');
        state = t switch
        {
            "listen" or "listening" => SocketState.Listen,
            "established" or "estab" => SocketState.Established,
            "syn_sent" => SocketState.SynSent,
            "syn_recv" or "syn_received" => SocketState.SynRecv,
            "fin_wait1" or "fin_wait_1" => SocketState.FinWait1,
            "fin_wait2" or "fin_wait_2" => SocketState.FinWait2,
            "time_wait" => SocketState.TimeWait,
            "close" or "closed" => SocketState.Close,
            "close_wait" => SocketState.CloseWait,
            "last_ack" => SocketState.LastAck,
            "closing" => SocketState.Closing,
            "unconn" or "unconnected" => SocketState.Close,
            _ => SocketState.Unknown,
        };
        unconnected = t is "unconn" or "unconnected";
        return state != SocketState.Unknown;
    }
}
