using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Outgate.Linux.Netlink;

/// <summary>
/// An AF_NETLINK socket bound in the calling thread's network namespace (it stays in that
/// namespace when used from other threads). Sends requests and collects the replies, including
/// multipart dumps up to NLMSG_DONE, turning NLMSG_ERROR into <see cref="NetlinkException"/>.
/// Not thread-safe: one request at a time. Receives go into one pooled buffer (64 KiB) that is
/// never smaller than the kernel's largest dump datagram (32 KiB, see netlink_recvmsg).
/// </summary>
public sealed unsafe class NetlinkSocket : IDisposable
{
    private const int DefaultBufferSize = 64 * 1024;
    private readonly NetlinkSocketHandle _handle;
    private byte[] _buffer;
    private uint _sequence;
    private TimeSpan _receiveTimeout;
    private uint _unfinishedDump;
    private int _lastTruncatedBufferSize;

    /// <summary>Netlink protocol the socket was opened for (e.g. <see cref="NetlinkConstants.NETLINK_SOCK_DIAG"/>).</summary>
    public int Protocol { get; }

    /// <summary>Port id (nl_pid) the kernel assigned at bind.</summary>
    public uint PortId { get; }

    /// <summary>Opens and binds a socket; replies wait at most 5 s (<see cref="ReceiveTimeout"/>).</summary>
    public NetlinkSocket(int protocol) : this(protocol, DefaultBufferSize) { }

    /// <summary>With a receive buffer of <paramref name="bufferSize"/> bytes (0 = 64 KiB); tests use a tiny one.</summary>
    internal NetlinkSocket(int protocol, int bufferSize)
    {
        Protocol = protocol;
        _handle = Interop.socket(Interop.AF_NETLINK, Interop.SOCK_RAW | Interop.SOCK_CLOEXEC, protocol);
        if (_handle.IsInvalid)
        {
            var errno = Marshal.GetLastPInvokeError();
            _handle.Dispose();
            throw new NetlinkException($"socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, {protocol})", errno);
        }
        try
        {
            var address = new sockaddr_nl { nl_family = Interop.AF_NETLINK };
            if (Interop.bind(_handle, &address, sizeof(sockaddr_nl)) != 0)
                throw new NetlinkException("bind(AF_NETLINK)", Marshal.GetLastPInvokeError());
            var length = sizeof(sockaddr_nl);
            if (Interop.getsockname(_handle, &address, &length) != 0)
                throw new NetlinkException("getsockname(AF_NETLINK)", Marshal.GetLastPInvokeError());
            PortId = address.nl_pid;
            ReceiveTimeout = TimeSpan.FromSeconds(5);
            _buffer = ArrayPool<byte>.Shared.Rent(bufferSize > 0 ? bufferSize : DefaultBufferSize);
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>How long a receive waits for the kernel before failing (SO_RCVTIMEO). Zero waits forever.</summary>
    public TimeSpan ReceiveTimeout
    {
        get => _receiveTimeout;
        set
        {
            var tv = new Interop.timeval { tv_sec = (long)value.TotalSeconds, tv_usec = value.Microseconds + value.Milliseconds * 1000L };
            SetOption(Interop.SOL_SOCKET, Interop.SO_RCVTIMEO, &tv, (uint)sizeof(Interop.timeval), "SO_RCVTIMEO");
            _receiveTimeout = value;
        }
    }

    /// <summary>SO_RCVBUF, or SO_RCVBUFFORCE (needs CAP_NET_ADMIN, ignores rmem_max) when <paramref name="force"/>.</summary>
    public void SetReceiveBufferSize(int bytes, bool force = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        SetOption(Interop.SOL_SOCKET, force ? Interop.SO_RCVBUFFORCE : Interop.SO_RCVBUF, bytes, force ? "SO_RCVBUFFORCE" : "SO_RCVBUF");
    }

    /// <summary>NETLINK_NO_ENOBUFS: drop silently on receive-queue overflow instead of reporting ENOBUFS.</summary>
    public void SetNoEnobufs(bool enabled) => SetOption(Interop.SOL_NETLINK, Interop.NETLINK_NO_ENOBUFS, enabled ? 1 : 0, "NETLINK_NO_ENOBUFS");

    /// <summary>NETLINK_EXT_ACK: errors carry a kernel message, surfaced as <see cref="NetlinkException.KernelMessage"/>.</summary>
    public void SetExtendedAck(bool enabled) => SetOption(Interop.SOL_NETLINK, Interop.NETLINK_EXT_ACK, enabled ? 1 : 0, "NETLINK_EXT_ACK");

    /// <summary>NETLINK_GET_STRICT_CHK: the kernel validates dump request headers strictly (rtnetlink).</summary>
    public void SetStrictCheck(bool enabled) => SetOption(Interop.SOL_NETLINK, Interop.NETLINK_GET_STRICT_CHK, enabled ? 1 : 0, "NETLINK_GET_STRICT_CHK");

    /// <summary>NETLINK_ADD_MEMBERSHIP: receive the multicast group <paramref name="group"/> (e.g. NFNLGRP_CONNTRACK_NEW = 1).</summary>
    public void JoinGroup(uint group) => SetOption(Interop.SOL_NETLINK, Interop.NETLINK_ADD_MEMBERSHIP, (int)group, "NETLINK_ADD_MEMBERSHIP");

    /// <summary>A fresh, non-zero sequence number for the next request.</summary>
    public uint NextSequence()
    {
        _sequence = _sequence == uint.MaxValue ? 1 : _sequence + 1;
        return _sequence;
    }

    /// <summary>Sends one request (complete netlink messages) to the kernel (nl_pid 0).</summary>
    public void Send(ReadOnlySpan<byte> message)
    {
        var kernel = new sockaddr_nl { nl_family = Interop.AF_NETLINK };
        while (true)
        {
            nint sent;
            fixed (byte* p = message)
                sent = Interop.sendto(_handle, p, message.Length, 0, &kernel, sizeof(sockaddr_nl));
            if (sent >= 0) return;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR) throw new NetlinkException("sendto(AF_NETLINK)", errno);
        }
    }

    /// <summary>
    /// Receives one datagram into the internal buffer and returns it. A datagram bigger than the
    /// buffer (MSG_TRUNC reports the real size) is lost, so that fails with a message saying so and
    /// the buffer grows for the next request.
    /// </summary>
    public ReadOnlySpan<byte> Receive(string operation)
    {
        switch (TryReceive(out var datagram, out var size, out var errno))
        {
            case ReceiveStatus.Received:
                return datagram;
            case ReceiveStatus.Truncated:
                throw new NetlinkException(operation, $"a {size}-byte reply exceeded the {_lastTruncatedBufferSize}-byte receive buffer and was truncated; buffer enlarged, retry the request");
            case ReceiveStatus.TimedOut:
                throw new NetlinkException(operation, $"no reply from the kernel within {_receiveTimeout.TotalSeconds:0.###} s (recv timed out)");
            default:
                throw new NetlinkException($"{operation}: recv(AF_NETLINK)", errno);
        }
    }

    internal enum ReceiveStatus { Received, Truncated, TimedOut, Failed }

    /// <summary>Non-throwing receive for event loops: timeouts, truncation and errno (e.g. ENOBUFS) come back as a status.</summary>
    internal ReceiveStatus TryReceive(out ReadOnlySpan<byte> datagram, out long size, out int errno, int flags = 0)
    {
        while (true)
        {
            nint received;
            fixed (byte* p = _buffer)
                received = Interop.recv(_handle, p, _buffer.Length, Interop.MSG_TRUNC | flags);
            size = received;
            errno = 0;
            if (received >= 0)
            {
                if (received > _buffer.Length)
                {
                    var old = _buffer;
                    _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(received, 16 * 1024 * 1024));
                    ArrayPool<byte>.Shared.Return(old);
                    datagram = default; // the cut datagram is useless
                    _lastTruncatedBufferSize = old.Length;
                    return ReceiveStatus.Truncated;
                }
                datagram = _buffer.AsSpan(0, (int)received);
                return ReceiveStatus.Received;
            }
            datagram = default;
            errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EINTR) continue;
            return errno == Errno.EAGAIN ? ReceiveStatus.TimedOut : ReceiveStatus.Failed;
        }
    }

    /// <summary>
    /// The kernel runs one dump per socket and refuses a new one (EBUSY) until the old one has been
    /// read to NLMSG_DONE. After a dump was abandoned (parse error, handler exception, truncation),
    /// read and discard the rest. Bounded by the receive timeout and a datagram limit.
    /// </summary>
    private void DrainAbandonedDump()
    {
        var sequence = _unfinishedDump;
        _unfinishedDump = 0;
        for (var datagrams = 0; datagrams < 1_000_000; datagrams++)
        {
            switch (TryReceive(out var datagram, out _, out _))
            {
                case ReceiveStatus.Truncated:
                    continue;
                case ReceiveStatus.TimedOut or ReceiveStatus.Failed:
                    return;
            }
            try
            {
                var reader = new NetlinkMessageReader(datagram);
                while (reader.TryRead(out var message))
                    if (message.Sequence == sequence && message.Type is NetlinkConstants.NLMSG_DONE or NetlinkConstants.NLMSG_ERROR)
                        return;
            }
            catch (NetlinkParseException)
            {
                // garbage from the abandoned dump: keep draining
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> (its nlmsg_seq identifies the replies) and hands every data
    /// message of the reply to <paramref name="handler"/>. Ends at NLMSG_DONE, at an ACK, or after
    /// the first non-multipart message. Messages of other sequence numbers (left over from an
    /// aborted request) are skipped. Returns the number of data messages.
    /// </summary>
    /// <exception cref="NetlinkException">NLMSG_ERROR with a non-zero errno, overrun, timeout.</exception>
    /// <exception cref="NetlinkParseException">A malformed reply.</exception>
    public int Request<TState>(ReadOnlySpan<byte> request, string operation, NetlinkReplyHandler<TState> handler, TState state)
    {
        if (request.Length < nlmsghdr.Size)
            throw new ArgumentException($"a netlink request needs at least a {nlmsghdr.Size}-byte header, got {request.Length} bytes", nameof(request));
        var sequence = BinaryPrimitives.ReadUInt32LittleEndian(request[8..]);
        if (_unfinishedDump != 0) DrainAbandonedDump();
        Send(request);
        var isDump = (BinaryPrimitives.ReadUInt16LittleEndian(request[6..]) & NetlinkConstants.NLM_F_DUMP) == NetlinkConstants.NLM_F_DUMP;
        // Set before reading so any exception below leaves a note to drain the rest first.
        if (isDump) _unfinishedDump = sequence;

        var count = 0;
        while (true)
        {
            var reader = new NetlinkMessageReader(Receive(operation));
            while (reader.TryRead(out var message))
            {
                if (message.Sequence != sequence) continue;
                switch (message.Type)
                {
                    case NetlinkConstants.NLMSG_NOOP:
                        continue;
                    case NetlinkConstants.NLMSG_DONE:
                        _unfinishedDump = 0;
                        if (message.Payload.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(message.Payload) is < 0 and var doneError)
                            throw new NetlinkException(operation, -doneError);
                        return count;
                    case NetlinkConstants.NLMSG_ERROR:
                        _unfinishedDump = 0; // an error ends the dump, as does an ACK
                        ThrowIfError(message, operation);
                        return count; // error 0 is an ACK
                    case NetlinkConstants.NLMSG_OVERRUN:
                        throw new NetlinkException(operation, "the kernel reported NLMSG_OVERRUN: data was lost");
                    default:
                        count++;
                        handler(in message, state);
                        if ((message.Flags & NetlinkConstants.NLM_F_MULTI) == 0 && !WantsAck(request)) return count;
                        break;
                }
            }
        }
    }

    private static bool WantsAck(ReadOnlySpan<byte> request) =>
        (BinaryPrimitives.ReadUInt16LittleEndian(request[6..]) & NetlinkConstants.NLM_F_ACK) != 0;

    /// <summary>
    /// NLMSG_ERROR payload: <c>int error</c> (negative errno, 0 = ACK), the echoed request header
    /// (whole request unless NLM_F_CAPPED), then with NLM_F_ACK_TLVS extended-ack attributes.
    /// </summary>
    private static void ThrowIfError(in NetlinkMessage message, string operation)
    {
        if (message.Payload.Length < 4)
            NetlinkParseException.Throw($"NLMSG_ERROR payload of {message.Payload.Length} bytes has no error code", message.Offset);
        var error = BinaryPrimitives.ReadInt32LittleEndian(message.Payload);
        if (error == 0) return;
        throw new NetlinkException(operation, -error, ReadExtendedAckMessage(message));
    }

    internal static string? ReadExtendedAckMessage(in NetlinkMessage message)
    {
        if ((message.Flags & NetlinkConstants.NLM_F_ACK_TLVS) == 0 || message.Payload.Length < 4 + nlmsghdr.Size) return null;
        int attributesAt;
        if ((message.Flags & NetlinkConstants.NLM_F_CAPPED) != 0)
            attributesAt = 4 + nlmsghdr.Size;
        else
        {
            var echoed = BinaryPrimitives.ReadUInt32LittleEndian(message.Payload[4..]);
            if (echoed < nlmsghdr.Size || echoed > (uint)(message.Payload.Length - 4)) return null;
            attributesAt = 4 + NetlinkConstants.Align((int)echoed);
        }
        if (attributesAt > message.Payload.Length) return null;
        try
        {
            if (!NetlinkAttributeReader.TryFind(message.Payload[attributesAt..], NetlinkConstants.NLMSGERR_ATTR_MSG, out var text)) return null;
            var end = text.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
        }
        catch (NetlinkParseException)
        {
            return null; // a garbled ext-ack must not hide the errno
        }
    }

    private void SetOption(int level, int name, int value, string optionName) =>
        SetOption(level, name, &value, sizeof(int), optionName);

    private void SetOption(int level, int name, void* value, uint length, string optionName)
    {
        if (Interop.setsockopt(_handle, level, name, value, length) != 0)
            throw new NetlinkException($"setsockopt({optionName})", Marshal.GetLastPInvokeError());
    }

    public void Dispose()
    {
        _handle.Dispose();
        var buffer = Interlocked.Exchange(ref _buffer!, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
