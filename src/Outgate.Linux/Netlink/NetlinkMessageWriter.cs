using System.Buffers.Binary;

namespace Outgate.Linux.Netlink;

/// <summary>
/// Builds one netlink message in a caller-supplied buffer (usually stackalloc): header, optional
/// nfgenmsg, attributes (padded to 4), nested attributes. <see cref="Finish"/> writes nlmsg_len and
/// returns the message. Throws <see cref="ArgumentException"/> when the buffer is too small (a
/// programming error: buffers are sized for the messages we send).
/// </summary>
/// <remarks>
/// A verdict for NFQUEUE 0 reads: <c>20 00 00 00 | 01 03 | 01 00 | seq | 00 00 00 00</c>
/// (len 32, type NFNL_SUBSYS_QUEUE&lt;&lt;8 | NFQNL_MSG_VERDICT, NLM_F_REQUEST), then nfgenmsg
/// <c>00 00 00 00</c>, then NFQA_VERDICT_HDR <c>0c 00 02 00 | 00 00 00 01 | 00 00 00 2a</c>
/// (verdict NF_ACCEPT and packet id 42, both big-endian).
/// </remarks>
public ref struct NetlinkMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    public NetlinkMessageWriter(Span<byte> buffer, ushort type, ushort flags, uint sequence)
    {
        if (buffer.Length < nlmsghdr.Size) ThrowTooSmall(nlmsghdr.Size, buffer.Length);
        _buffer = buffer;
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, nlmsghdr.Size);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[12..], 0);
        _length = nlmsghdr.Size;
    }

    public readonly int Length => _length;

    /// <summary>Appends struct nfgenmsg; <paramref name="resourceId"/> is written big-endian.</summary>
    public void WriteNfgenmsg(byte family, ushort resourceId)
    {
        var span = Reserve(nfgenmsg.Size);
        span[0] = family;
        span[1] = 0; // NFNETLINK_V0
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], resourceId);
    }

    /// <summary>Appends raw bytes (a fixed struct after the header), padded to 4.</summary>
    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
    }

    public void WriteAttribute(ushort type, scoped ReadOnlySpan<byte> payload)
    {
        var span = Reserve(nlattr.Size + payload.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(nlattr.Size + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        payload.CopyTo(span[nlattr.Size..]);
    }

    public void WriteAttributeBigEndian(ushort type, uint value)
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, value);
        WriteAttribute(type, payload);
    }

    /// <summary>Starts a nested attribute (NLA_F_NESTED set); returns its offset for <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        var at = _length;
        var span = Reserve(nlattr.Size);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)(type | 0x8000));
        return at;
    }

    public void EndNested(int offset) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[offset..], (ushort)(_length - offset));

    /// <summary>Writes nlmsg_len and returns the finished message.</summary>
    public readonly ReadOnlySpan<byte> Finish()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)_length);
        return _buffer[.._length];
    }

    private Span<byte> Reserve(int length)
    {
        var padded = NetlinkConstants.Align(length);
        if (_length + padded > _buffer.Length) ThrowTooSmall(_length + padded, _buffer.Length);
        var span = _buffer.Slice(_length, padded);
        span[length..].Clear();
        _length += padded;
        return span[..length];
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowTooSmall(int needed, int available) =>
        throw new ArgumentException($"netlink message needs {needed} bytes, the buffer has {available}");
}
