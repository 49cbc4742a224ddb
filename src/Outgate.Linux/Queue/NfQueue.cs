using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Outgate.Linux.Netlink;

namespace Outgate.Linux.Queue;

/// <summary>
/// An NFQUEUE client for one queue number on our own NETLINK_NETFILTER socket. The socket lives in
/// the network namespace of the thread that calls <see cref="Open"/> (use
/// <see cref="NetworkNamespaceScope"/> for another namespace). One thread receives and gives
/// verdicts; <see cref="Counters"/> may be read from any thread. Receiving, parsing and verdicts
/// allocate nothing per packet.
/// </summary>
/// <remarks>
/// Setup as libnetfilter_queue does it: PF_UNBIND/PF_BIND for AF_INET and AF_INET6 (needed only
/// by kernels before 3.8, harmless after), NFQNL_CFG_CMD_BIND for the queue, then copy mode
/// NFQNL_COPY_PACKET with <see cref="NfQueueOptions.CopyRange"/>, the queue length and the flags
/// (UID_GID, GSO, FAIL_OPEN only when asked). The CONNTRACK flag is never requested: kernels
/// without NETFILTER_NETLINK_GLUE_CT refuse it with EOPNOTSUPP.
/// <para>Typical loop, one thread per queue number (rules from <see cref="QueueRuleInstaller"/>):</para>
/// <code>
/// using var queue = NetworkNamespaceScope.Run(ns, () =&gt; NfQueue.Open(0));
/// while (!stopping)
/// {
///     if (queue.Receive(static (in QueuedPacket p, State s) =&gt; s.Decide(p), state) &gt; 0)
///         queue.SetVerdictBatch(state.LastId, NfQueueVerdict.Accept); // or SetVerdict per packet, with a mark
/// }
/// </code>
/// Deny with <c>SetVerdict(id, Accept, mark.For(packet.Mark, AppVerdict.Deny))</c> (see
/// <see cref="QueueVerdictMark"/>; the static table rejects it at once) rather than
/// <see cref="NfQueueVerdict.Drop"/> (the client retries its SYN for ~2 min).
/// </remarks>
public sealed class NfQueue : IDisposable
{
    private const ushort AF_INET = 2, AF_INET6 = 10;
    private readonly NetlinkSocket _socket;
    private readonly SafeFileHandle? _statistics;
    private long _packets, _verdicts, _batchVerdicts, _malformed, _overruns, _errors, _repeated;

    /// <summary>The queue number (iptables --queue-num / --queue-balance member).</summary>
    public ushort QueueNumber { get; }

    /// <summary>The options the queue was opened with.</summary>
    public NfQueueOptions Options { get; }

    private NfQueue(ushort queueNumber, NfQueueOptions options, NetlinkSocket socket, SafeFileHandle? statistics)
    {
        QueueNumber = queueNumber;
        Options = options;
        _socket = socket;
        _statistics = statistics;
    }

    /// <summary>Opens a socket in the calling thread's network namespace and binds it to <paramref name="queueNumber"/>.</summary>
    /// <exception cref="NfQueueBusyException">Another socket holds the queue.</exception>
    /// <exception cref="NetlinkException">Socket or configuration failure (EPERM without CAP_NET_ADMIN, ...).</exception>
    public static NfQueue Open(ushort queueNumber, NfQueueOptions? options = null)
    {
        options ??= new NfQueueOptions();
        options.Validate();
        // One queued packet is one datagram: its copy plus at most a few hundred bytes of attributes.
        // A datagram larger than the buffer is lost, and with it the packet's verdict (a 65,507-byte
        // UDP DNS answer with copy range 65535 measured exactly that), so size the buffer for it.
        var socket = new NetlinkSocket(NetlinkConstants.NETLINK_NETFILTER, Math.Max(64 * 1024, options.CopyRange + 4096));
        SafeFileHandle? statistics = null;
        try
        {
            socket.ReceiveTimeout = options.ReceiveTimeout;
            if (options.ReceiveBufferSize > 0) socket.SetReceiveBufferSize(options.ReceiveBufferSize, force: true);
            socket.SetNoEnobufs(true);
            try { socket.SetExtendedAck(true); }
            catch (NetlinkException ex) when (ex.Errno is Errno.ENOPROTOOPT or Errno.EINVAL) { }
            statistics = OpenStatistics();
            var queue = new NfQueue(queueNumber, options, socket, statistics);
            queue.Configure();
            return queue;
        }
        catch
        {
            statistics?.Dispose();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// /proc/thread-self/net: the namespace of this thread (a setns'd thread is not the process's
    /// main thread, so /proc/self/net would show the main thread's namespace). Opened once, read
    /// with pread(0) later from any thread: the seq file stays bound to the namespace.
    /// </summary>
    private static SafeFileHandle? OpenStatistics()
    {
        try
        {
            return File.OpenHandle("/proc/thread-self/net/netfilter/nfnetlink_queue", FileMode.Open, FileAccess.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Configure()
    {
        Span<byte> buffer = stackalloc byte[64];
        foreach (var family in (ReadOnlySpan<ushort>)[AF_INET, AF_INET6])
        {
            TryConfigure(buffer[..NfQueueMessages.WriteCommand(buffer, _socket.NextSequence(), 0, NfQueueConstants.NFQNL_CFG_CMD_PF_UNBIND, family)], "NFQNL_CFG_CMD_PF_UNBIND");
            TryConfigure(buffer[..NfQueueMessages.WriteCommand(buffer, _socket.NextSequence(), 0, NfQueueConstants.NFQNL_CFG_CMD_PF_BIND, family)], "NFQNL_CFG_CMD_PF_BIND");
        }
        var bind = TryConfigure(buffer[..NfQueueMessages.WriteCommand(buffer, _socket.NextSequence(), QueueNumber, NfQueueConstants.NFQNL_CFG_CMD_BIND, 0)], "NFQNL_CFG_CMD_BIND");
        // Measured on 6.18: a queue bound by another socket answers EPERM (the portid check comes
        // before the command), which is also the answer without CAP_NET_ADMIN; the proc file
        // listing the queue tells the two apart. Older kernels answered EBUSY.
        if (bind == Errno.EBUSY || (bind == Errno.EPERM && ReadKernelStatistics() is { } holder && holder.PortId != _socket.PortId))
            throw new NfQueueBusyException(QueueNumber, bind);
        if (bind != 0)
            throw new NetlinkException($"NFQNL_CFG_CMD_BIND queue {QueueNumber}", bind,
                detail: bind == Errno.EPERM ? "binding a queue needs CAP_NET_ADMIN in the socket's network namespace" : null);

        var flags = (Options.UidGid ? NfQueueConstants.NFQA_CFG_F_UID_GID : 0)
            | (Options.Gso ? NfQueueConstants.NFQA_CFG_F_GSO : 0)
            | (Options.FailOpen ? NfQueueConstants.NFQA_CFG_F_FAIL_OPEN : 0);
        const uint mask = NfQueueConstants.NFQA_CFG_F_UID_GID | NfQueueConstants.NFQA_CFG_F_GSO | NfQueueConstants.NFQA_CFG_F_FAIL_OPEN;
        var length = NfQueueMessages.WriteParameters(buffer, _socket.NextSequence(), QueueNumber, NfQueueConstants.NFQNL_COPY_PACKET,
            (uint)Options.CopyRange, Options.MaxQueueLength, flags, mask);
        var error = TryConfigure(buffer[..length], "NFQNL_MSG_CONFIG");
        if (error != 0)
            throw new NetlinkException($"NFQNL_MSG_CONFIG queue {QueueNumber} (copy range {Options.CopyRange}, flags 0x{flags:x})", error);
    }

    /// <summary>
    /// Sends a config request and waits for its ACK; returns 0 or the positive errno. Packets that
    /// arrive meanwhile (the queue is live as soon as BIND succeeded) get NF_REPEAT: they re-enter
    /// the hook and are queued again, so none is lost or left waiting.
    /// </summary>
    private int TryConfigure(ReadOnlySpan<byte> request, string operation)
    {
        var sequence = BinaryPrimitives.ReadUInt32LittleEndian(request[8..]);
        _socket.Send(request);
        var deadline = Environment.TickCount64 + 5000;
        while (Environment.TickCount64 < deadline)
        {
            switch (_socket.TryReceive(out var datagram, out _, out var errno))
            {
                case NetlinkSocket.ReceiveStatus.TimedOut or NetlinkSocket.ReceiveStatus.Truncated:
                    continue;
                case NetlinkSocket.ReceiveStatus.Failed when errno == Errno.ENOBUFS:
                    _overruns++;
                    continue;
                case NetlinkSocket.ReceiveStatus.Failed:
                    throw new NetlinkException($"{operation}: recv(AF_NETLINK)", errno);
            }
            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryRead(out var message))
            {
                if (message.Type == NetlinkConstants.NLMSG_ERROR && message.Sequence == sequence)
                    return message.Payload.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(message.Payload) : Errno.EINVAL;
                if (QueuedPacketParser.TryParse(message, out var packet))
                {
                    SetVerdict(packet.Id, NfQueueVerdict.Repeat);
                    _repeated++;
                }
            }
        }
        throw new NetlinkException(operation, "no acknowledgement from the kernel within 5 s");
    }

    /// <summary>
    /// Waits up to <see cref="NfQueueOptions.ReceiveTimeout"/> for packets and hands each to
    /// <paramref name="handler"/>; after the first datagram, already-queued ones are read without
    /// waiting, up to <paramref name="maxPackets"/>. Returns the number of packets handled (0 on
    /// timeout), so a caller can answer them all with one <see cref="SetVerdictBatch"/>.
    /// ENOBUFS and malformed messages are counted, not thrown.
    /// </summary>
    /// <exception cref="NetlinkException">recv failed with anything but EINTR/EAGAIN/ENOBUFS.</exception>
    public int Receive<TState>(QueuedPacketHandler<TState> handler, TState state, int maxPackets = 64)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPackets);
        var handled = 0;
        for (var datagrams = 0; handled < maxPackets && datagrams < maxPackets * 2; datagrams++)
        {
            var status = _socket.TryReceive(out var datagram, out _, out var errno, datagrams == 0 ? 0 : Netlink.Interop.MSG_DONTWAIT);
            switch (status)
            {
                case NetlinkSocket.ReceiveStatus.TimedOut:
                    return handled;
                case NetlinkSocket.ReceiveStatus.Truncated:
                    Interlocked.Increment(ref _malformed);
                    continue;
                case NetlinkSocket.ReceiveStatus.Failed when errno == Errno.ENOBUFS:
                    Interlocked.Increment(ref _overruns);
                    continue;
                case NetlinkSocket.ReceiveStatus.Failed:
                    throw new NetlinkException($"NFQUEUE {QueueNumber}: recv(AF_NETLINK)", errno);
            }
            handled += Dispatch(datagram, handler, state);
        }
        return handled;
    }

    private int Dispatch<TState>(ReadOnlySpan<byte> datagram, QueuedPacketHandler<TState> handler, TState state)
    {
        var handled = 0;
        var offset = 0;
        while (offset + nlmsghdr.Size <= datagram.Length)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(datagram[offset..]);
            if (length < nlmsghdr.Size || length > (uint)(datagram.Length - offset))
            {
                Interlocked.Increment(ref _malformed);
                return handled;
            }
            var type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[(offset + 4)..]);
            var payload = datagram.Slice(offset + nlmsghdr.Size, (int)length - nlmsghdr.Size);
            offset += NetlinkConstants.Align((int)length);
            switch (type)
            {
                case NfQueueConstants.PacketMessageType:
                    if (QueuedPacketParser.TryParse(payload, out var packet))
                    {
                        Interlocked.Increment(ref _packets);
                        handled++;
                        handler(in packet, state);
                    }
                    else Interlocked.Increment(ref _malformed);
                    break;
                case NetlinkConstants.NLMSG_ERROR:
                    if (payload.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(payload) != 0) Interlocked.Increment(ref _errors);
                    break;
                case NetlinkConstants.NLMSG_OVERRUN:
                    Interlocked.Increment(ref _overruns);
                    break;
                case NetlinkConstants.NLMSG_NOOP or NetlinkConstants.NLMSG_DONE:
                    break;
                default:
                    Interlocked.Increment(ref _malformed);
                    break;
            }
        }
        return handled;
    }

    /// <summary>
    /// Verdict for one packet; <paramref name="mark"/> becomes the packet's mark (e.g. to label the
    /// flow; copied to the ct mark by the rules). For ACCEPT/REPEAT the queued-mark bit is always
    /// cleared, see <see cref="NfQueueOptions.QueuedMark"/>.
    /// </summary>
    public void SetVerdict(uint id, NfQueueVerdict verdict, uint? mark = null)
    {
        Span<byte> buffer = stackalloc byte[NfQueueMessages.MaxVerdictSize];
        _socket.Send(buffer[..NfQueueMessages.WriteVerdict(buffer, QueueNumber, id, verdict, EffectiveMark(verdict, mark))]);
        Interlocked.Increment(ref _verdicts);
    }

    /// <summary>One verdict (and optional mark) for every packet of this queue still waiting with an id up to and including <paramref name="maxId"/>.</summary>
    public void SetVerdictBatch(uint maxId, NfQueueVerdict verdict, uint? mark = null)
    {
        Span<byte> buffer = stackalloc byte[NfQueueMessages.MaxVerdictSize];
        _socket.Send(buffer[..NfQueueMessages.WriteVerdictBatch(buffer, QueueNumber, maxId, verdict, EffectiveMark(verdict, mark))]);
        Interlocked.Increment(ref _batchVerdicts);
    }

    /// <summary>Clears <see cref="NfQueueOptions.QueuedMark"/> so the static table does not take an answered packet for a bypassed one.</summary>
    private uint? EffectiveMark(NfQueueVerdict verdict, uint? mark)
    {
        var queued = Options.QueuedMark;
        if (queued == 0 || verdict == NfQueueVerdict.Drop) return mark;
        return (mark ?? 0) & ~queued;
    }

    /// <summary>A snapshot of the counters; safe from any thread.</summary>
    public NfQueueCounters Counters => new(
        Interlocked.Read(ref _packets), Interlocked.Read(ref _verdicts), Interlocked.Read(ref _batchVerdicts),
        Interlocked.Read(ref _malformed), Interlocked.Read(ref _overruns), Interlocked.Read(ref _errors), Interlocked.Read(ref _repeated));

    /// <summary>The kernel's view of this queue (waiting packets, drops), or null when /proc does not say.</summary>
    public NfQueueKernelStatistics? ReadKernelStatistics()
    {
        if (_statistics is null || _statistics.IsClosed) return null;
        var bytes = new byte[16 * 1024];
        int read;
        try
        {
            read = RandomAccess.Read(_statistics, bytes, 0);
        }
        catch (IOException)
        {
            return null;
        }
        return NfQueueKernelStatistics.TryParse(Encoding.ASCII.GetString(bytes, 0, read), QueueNumber, out var statistics) ? statistics : null;
    }

    /// <summary>Closes the socket; the kernel unbinds the queue and, with --queue-bypass, lets the rule fall through.</summary>
    public void Dispose()
    {
        _statistics?.Dispose();
        _socket.Dispose();
    }
}
