using System.Buffers.Binary;

namespace Outgate.Linux.Dns;

/// <summary>
/// Splits DNS-over-TCP stream data into messages. On TCP every message is preceded by its length as a big-endian
/// 16-bit number (RFC 1035 4.2.2, RFC 7766 8); one segment may hold several messages or part of one. Feed the payload
/// of each in-order segment to <see cref="Append"/>, then take messages with <see cref="TryTake"/>. Out-of-order
/// segments are not reordered here: the caller tracks sequence numbers and calls <see cref="Reset"/> on a gap.
/// </summary>
public sealed class DnsTcpMessageFramer
{
    private const int PrefixLength = 2;

    /// <summary>The largest possible framed message: 2-byte prefix + 65535 bytes.</summary>
    public const int MaxFramedLength = PrefixLength + ushort.MaxValue;

    private readonly int _capacity;
    private byte[] _buffer;
    private int _start;
    private int _end;

    /// <summary>A framer that can hold any message (up to <see cref="MaxFramedLength"/> bytes pending).</summary>
    public DnsTcpMessageFramer() : this(MaxFramedLength) { }

    /// <param name="capacity">
    /// Most bytes held at once; the buffer starts small and grows to this. A message longer than
    /// <c>capacity - 2</c> can never be taken, so <see cref="Append"/> fails for it.
    /// </param>
    public DnsTcpMessageFramer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, PrefixLength + 12); // a DNS header at least
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxFramedLength);
        _capacity = capacity;
        _buffer = new byte[Math.Min(capacity, 1024)];
    }

    /// <summary>Bytes held that do not yet form a whole message.</summary>
    public int Buffered => _end - _start;

    /// <summary>
    /// Adds stream data. Returns false, and drops everything buffered, when the data cannot be the continuation of a
    /// well-formed stream (more bytes pending than the largest possible message).
    /// </summary>
    public bool Append(ReadOnlySpan<byte> streamData)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (streamData.Length > _capacity - _end)
        {
            Reset();
            return false;
        }
        if (streamData.Length > _buffer.Length - _end)
            Array.Resize(ref _buffer, Math.Min(_capacity, Math.Max(_buffer.Length * 2, _end + streamData.Length)));

        streamData.CopyTo(_buffer.AsSpan(_end));
        _end += streamData.Length;
        return true;
    }

    /// <summary>Takes the next whole message (without its prefix). The memory stays valid until the next <see cref="Append"/>.</summary>
    public bool TryTake(out ReadOnlyMemory<byte> message)
    {
        if (!TryReadFramed(_buffer.AsSpan(_start, _end - _start), out var length, out var consumed))
        {
            message = default;
            return false;
        }

        message = _buffer.AsMemory(_start + PrefixLength, length);
        _start += consumed;
        return true;
    }

    /// <summary>Forgets buffered bytes, e.g. after a sequence gap or a new connection.</summary>
    public void Reset() => _start = _end = 0;

    /// <summary>
    /// Reads one length-prefixed message from the start of <paramref name="streamData"/> when it is all there; the
    /// message is <c>streamData.Slice(2, length)</c> and the next one starts at <paramref name="consumed"/>.
    /// </summary>
    public static bool TryReadFramed(ReadOnlySpan<byte> streamData, out int length, out int consumed)
    {
        length = consumed = 0;
        if (streamData.Length < PrefixLength) return false;
        var declared = BinaryPrimitives.ReadUInt16BigEndian(streamData);
        if (streamData.Length - PrefixLength < declared) return false;
        length = declared;
        consumed = PrefixLength + declared;
        return true;
    }
}
