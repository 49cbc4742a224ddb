using System.Runtime.CompilerServices;
using Outgate.Linux.Netlink;

namespace Outgate.Linux.Conntrack;

/// <summary>
/// Reads the whole conntrack table of the network namespace the socket was opened in
/// (IPCTNL_MSG_CT_GET with NLM_F_DUMP, family AF_UNSPEC = IPv4 and IPv6), with byte counters when
/// <c>nf_conntrack_acct</c> was on when each entry was created. One dump at a time per instance.
/// </summary>
/// <remarks>
/// The request is 20 bytes: <c>14 00 00 00 | 01 01 | 01 03 | seq | 00 00 00 00</c> (type
/// NFNL_SUBSYS_CTNETLINK&lt;&lt;8 | IPCTNL_MSG_CT_GET, flags NLM_F_REQUEST|NLM_F_DUMP) and nfgenmsg
/// <c>00 00 00 00</c>. Each entry comes back as an IPCTNL_MSG_CT_NEW message with NLM_F_MULTI and no
/// NLM_F_CREATE, so <see cref="ConntrackEventParser"/> reads it as an <see cref="ConntrackEventType.Update"/>.
/// </remarks>
public sealed class ConntrackDump : IDisposable
{
    private const ushort GetMessageType = ConntrackConstants.NFNL_SUBSYS_CTNETLINK << 8 | ConntrackConstants.IPCTNL_MSG_CT_GET;
    private readonly NetlinkSocket _socket;
    private long _malformed;

    private ConntrackDump(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens the dump socket in the calling thread's network namespace.</summary>
    /// <exception cref="NetlinkException">The socket cannot be created.</exception>
    public static ConntrackDump Open() => new(new NetlinkSocket(NetlinkConstants.NETLINK_NETFILTER));

    /// <summary>Entries the parser could not read, over all dumps (skipped, not fatal).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>
    /// Dumps the table and hands every entry to <paramref name="handler"/> (the entry is only valid during the call).
    /// Returns the number of entries handed out.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused the dump (e.g. ENOENT before nf_conntrack is loaded in the namespace).</exception>
    public int Read<TState>(ConntrackEventHandler<TState> handler, TState state)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Span<byte> buffer = stackalloc byte[nlmsghdr.Size + nfgenmsg.Size];
        var writer = new NetlinkMessageWriter(buffer, GetMessageType, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_DUMP, _socket.NextSequence());
        writer.WriteNfgenmsg(0, 0);
        var handed = new StrongBox<int>(0);
        _socket.Request(writer.Finish(), "conntrack dump", static (in NetlinkMessage message, (ConntrackDump Self, ConntrackEventHandler<TState> Handler, TState State, StrongBox<int> Count) s) =>
        {
            if (!ConntrackEventParser.TryParse(message.Type, message.Flags, message.Payload, out var entry))
            {
                Interlocked.Increment(ref s.Self._malformed);
                return;
            }
            s.Count.Value++;
            s.Handler(in entry, s.State);
        }, (this, handler, state, handed));
        return handed.Value;
    }

    public void Dispose() => _socket.Dispose();
}
