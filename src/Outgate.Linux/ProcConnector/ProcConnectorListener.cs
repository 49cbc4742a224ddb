using System.Buffers.Binary;
using Outgate.Linux.Netlink;

namespace Outgate.Linux.ProcConnector;

/// <summary>
/// Process events (fork, exec, exit, uid/gid changes) from the kernel's proc connector
/// (NETLINK_CONNECTOR, group CN_IDX_PROC, PROC_CN_MCAST_LISTEN). Needs CAP_NET_ADMIN and the
/// initial network namespace. Observation only: nothing is enforced through it. One receiving thread.
/// </summary>
public sealed class ProcConnectorListener : IDisposable
{
    private const uint PROC_CN_MCAST_LISTEN = 1, PROC_CN_MCAST_IGNORE = 2;
    private readonly NetlinkSocket _socket;
    private long _events, _overruns;

    private ProcConnectorListener(NetlinkSocket socket) => _socket = socket;

    /// <summary>Subscribes to process events.</summary>
    /// <exception cref="ProcConnectorUnavailableException">Not in the initial network namespace (ECONNREFUSED), no permission, no CONFIG_PROC_EVENTS.</exception>
    public static ProcConnectorListener Open(int receiveBufferSize = 4 * 1024 * 1024, TimeSpan? receiveTimeout = null)
    {
        NetlinkSocket socket;
        try
        {
            socket = new NetlinkSocket(NetlinkConstants.NETLINK_CONNECTOR);
        }
        catch (NetlinkException ex) when (ex.Errno != 0)
        {
            throw new ProcConnectorUnavailableException("socket(AF_NETLINK, NETLINK_CONNECTOR)", ex.Errno);
        }
        try
        {
            socket.ReceiveTimeout = receiveTimeout ?? TimeSpan.FromMilliseconds(250);
            if (receiveBufferSize > 0) socket.SetReceiveBufferSize(receiveBufferSize, force: true);
            var listener = new ProcConnectorListener(socket);
            try
            {
                socket.JoinGroup(ProcEventParser.CN_IDX_PROC);
                listener.SendControl(PROC_CN_MCAST_LISTEN);
            }
            catch (NetlinkException ex) when (ex.Errno != 0)
            {
                throw new ProcConnectorUnavailableException(ex.Operation, ex.Errno);
            }
            return listener;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Events handed out so far.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>ENOBUFS from recv: events were lost (fall back to a /proc scan to resync).</summary>
    public long Overruns => Interlocked.Read(ref _overruns);

    private void SendControl(uint operation)
    {
        Span<byte> buffer = stackalloc byte[nlmsghdr.Size + ProcEventParser.CnMsgSize + 4];
        var writer = new NetlinkMessageWriter(buffer, NetlinkConstants.NLMSG_DONE, 0, _socket.NextSequence());
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[12..], _socket.PortId);
        Span<byte> body = stackalloc byte[ProcEventParser.CnMsgSize + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(body, ProcEventParser.CN_IDX_PROC);
        BinaryPrimitives.WriteUInt32LittleEndian(body[4..], ProcEventParser.CN_VAL_PROC);
        BinaryPrimitives.WriteUInt16LittleEndian(body[16..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(body[20..], operation);
        writer.WriteBytes(body);
        _socket.Send(writer.Finish());
    }

    /// <summary>
    /// Waits up to the receive timeout, then reads what is queued without waiting, up to
    /// <paramref name="maxEvents"/>. Returns the number of events handled (0 on timeout).
    /// Acknowledgements (<see cref="ProcEventType.None"/>) are skipped.
    /// </summary>
    public int Receive<TState>(ProcEventHandler<TState> handler, TState state, int maxEvents = 64)
    {
        ArgumentNullException.ThrowIfNull(handler);
        long malformed = 0; // not reported: connector messages of other kinds share the socket
        return NetlinkEventReceiver.Receive(_socket, "proc connector", static (in NetlinkMessage message, (ProcConnectorListener Self, ProcEventHandler<TState> Handler, TState State) s) =>
        {
            if (!ProcEventParser.TryParse(message.Payload, out var procEvent) || procEvent.Type == ProcEventType.None)
                return NetlinkEventReceiver.MessageResult.Ignored;
            Interlocked.Increment(ref s.Self._events);
            s.Handler(in procEvent, s.State);
            return NetlinkEventReceiver.MessageResult.Handled;
        }, (this, handler, state), maxEvents, ref _overruns, ref malformed);
    }

    public void Dispose()
    {
        try { SendControl(PROC_CN_MCAST_IGNORE); }
        catch (NetlinkException) { }
        catch (ObjectDisposedException) { }
        _socket.Dispose();
    }
}
