using Outgate.Linux.Packets;

namespace Outgate.Linux.Dns;

/// <summary>
/// Reassembles DNS-over-TCP answers from queued segments, per flow (4-tuple and direction), and
/// hands out each complete message. Bounded in every direction: at most
/// <see cref="DnsTcpStreamsOptions.MaxFlows"/> flows, <see cref="DnsTcpStreamsOptions.MaxBytesPerFlow"/>
/// bytes and <see cref="DnsTcpStreamsOptions.MaxHeldSegmentsPerFlow"/> early segments each, idle
/// flows forgotten. Not thread-safe (one DNS queue reader owns it).
/// </summary>
/// <remarks>
/// <para>Sequence numbers: the queue rules never queue the SYN-ACK, so a flow starts at the first
/// data segment seen, which is taken as the start of the stream (the length prefix of the first
/// answer). A segment wholly before the next expected byte is a retransmission and is ignored;
/// one that overlaps contributes only its new tail; one after a gap is held (copied) until the gap
/// fills. A flow that would exceed its bounds is given up: it is marked lost and its segments are
/// ignored until FIN/RST or idle expiry, because framing cannot be recovered in mid-stream.
/// Comparisons use serial arithmetic (<c>(int)(a - b)</c>) so the 32-bit wrap is handled.</para>
/// <para>A daemon started in the middle of a TCP DNS connection starts that flow mid-stream: the
/// first bytes are taken as a length prefix, so a message may be misframed until the connection
/// ends; the DNS parser rejects what is not a valid answer.</para>
/// </remarks>
public sealed class DnsTcpStreams
{
    private readonly DnsTcpStreamsOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<DnsTcpFlowKey, Flow> _flows = [];
    private readonly long _idleTicks;

    public DnsTcpStreams(DnsTcpStreamsOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new DnsTcpStreamsOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _idleTicks = (long)(_options.IdleExpiry.TotalSeconds * _time.TimestampFrequency);
    }

    /// <summary>Flows followed right now.</summary>
    public int Count => _flows.Count;

    /// <summary>Flows given up because a bound was hit (counted once per flow).</summary>
    public long LostFlows { get; private set; }

    /// <summary>Flows evicted while still active because <see cref="DnsTcpStreamsOptions.MaxFlows"/> was reached.</summary>
    public long EvictedFlows { get; private set; }

    /// <summary>
    /// Feeds one queued packet (IP header first). Returns the number of complete messages handed to
    /// <paramref name="handler"/>; 0 for packets that are not TCP, carry no data or cannot be placed.
    /// </summary>
    public int Feed<TState>(ReadOnlySpan<byte> ipPacket, DnsMessageHandler<TState> handler, TState state)
    {
        if (!IpPacket.TryRead(ipPacket, out var ip) || ip.Protocol != PacketParser.IPPROTO_TCP) return 0;
        if (!TcpSegment.TryRead(ip.Transport, out var tcp)) return 0;
        return Feed(new DnsTcpFlowKey(ip.IsIPv6, ip.Source, tcp.SourcePort, ip.Destination, tcp.DestinationPort), tcp.SequenceNumber, tcp.Flags, tcp.Payload, handler, state);
    }

    /// <summary>Feeds one segment of <paramref name="key"/>'s flow; see <see cref="Feed{TState}(ReadOnlySpan{byte}, DnsMessageHandler{TState}, TState)"/>.</summary>
    public int Feed<TState>(DnsTcpFlowKey key, uint sequence, TcpFlags flags, ReadOnlySpan<byte> data, DnsMessageHandler<TState> handler, TState state)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var now = _time.GetTimestamp();
        var ends = (flags & (TcpFlags.Fin | TcpFlags.Rst)) != 0;
        if ((flags & TcpFlags.Syn) != 0)
        {
            // A SYN starts a new stream: data (if any) follows sequence + 1.
            _flows.Remove(key);
            sequence++;
        }
        if (!_flows.TryGetValue(key, out var flow))
        {
            // A SYN(-ACK) opens a flow even without data: it fixes where byte 0 of the stream is.
            if ((data.IsEmpty && (flags & TcpFlags.Syn) == 0) || (flags & TcpFlags.Rst) != 0) return 0;
            MakeRoom(now);
            flow = new Flow(_options.MaxBytesPerFlow, sequence);
            _flows[key] = flow;
        }
        flow.LastSeen = now;

        var messages = flow.Lost ? 0 : Place(flow, sequence, data, handler, state);
        if (ends || (flow.Lost && data.IsEmpty)) _flows.Remove(key);
        return messages;
    }

    /// <summary>Forgets flows idle longer than <see cref="DnsTcpStreamsOptions.IdleExpiry"/>; returns how many.</summary>
    public int ExpireIdle()
    {
        var now = _time.GetTimestamp();
        var expired = 0;
        foreach (var (key, flow) in _flows)
            if (now - flow.LastSeen > _idleTicks && _flows.Remove(key)) expired++;
        return expired;
    }

    private void MakeRoom(long now)
    {
        if (_flows.Count < _options.MaxFlows) return;
        foreach (var (key, flow) in _flows)
            if (now - flow.LastSeen > _idleTicks) _flows.Remove(key);
        if (_flows.Count < _options.MaxFlows) return;
        var oldest = _flows.MinBy(f => f.Value.LastSeen).Key;
        _flows.Remove(oldest);
        EvictedFlows++;
    }

    private int Place<TState>(Flow flow, uint sequence, ReadOnlySpan<byte> data, DnsMessageHandler<TState> handler, TState state)
    {
        if (data.IsEmpty) return 0;
        var behind = (int)(flow.Next - sequence);
        if (behind >= data.Length) return 0; // retransmission of what we have
        if (behind > 0)
        {
            data = data[behind..]; // overlap: keep the new tail
            sequence = flow.Next;
        }
        if (sequence != flow.Next) return Hold(flow, sequence, data);

        var messages = Append(flow, data, handler, state);
        // Held segments that now fit, in order; bounded by the number held.
        for (var i = 0; i < _options.MaxHeldSegmentsPerFlow + 1 && !flow.Lost && flow.Held.Count > 0; i++)
        {
            var index = flow.Held.FindIndex(h => (int)(h.Sequence - flow.Next) <= 0);
            if (index < 0) break;
            var held = flow.Held[index];
            flow.Held.RemoveAt(index);
            flow.HeldBytes -= held.Data.Length;
            var skip = (int)(flow.Next - held.Sequence);
            if (skip < held.Data.Length) messages += Append(flow, held.Data.AsSpan(skip), handler, state);
        }
        return messages;
    }

    private int Hold(Flow flow, uint sequence, ReadOnlySpan<byte> data)
    {
        if (flow.Held.Count >= _options.MaxHeldSegmentsPerFlow || flow.HeldBytes + flow.Framer.Buffered + data.Length > _options.MaxBytesPerFlow)
        {
            GiveUp(flow);
            return 0;
        }
        var length = data.Length;
        if (flow.Held.Exists(h => h.Sequence == sequence && h.Data.Length >= length)) return 0; // held already
        flow.Held.Add((sequence, data.ToArray()));
        flow.HeldBytes += data.Length;
        return 0;
    }

    private int Append<TState>(Flow flow, ReadOnlySpan<byte> data, DnsMessageHandler<TState> handler, TState state)
    {
        flow.Next += (uint)data.Length;
        var messages = 0;
        // Fast path: nothing pending, so whole messages are read straight from the segment.
        if (flow.Framer.Buffered == 0)
        {
            while (DnsTcpMessageFramer.TryReadFramed(data, out var length, out var consumed))
            {
                handler(data.Slice(2, length), state);
                messages++;
                data = data[consumed..];
            }
            if (data.IsEmpty) return messages;
        }
        if (flow.HeldBytes + flow.Framer.Buffered + data.Length > _options.MaxBytesPerFlow || !flow.Framer.Append(data))
        {
            GiveUp(flow);
            return messages;
        }
        while (flow.Framer.TryTake(out var message))
        {
            handler(message.Span, state);
            messages++;
        }
        return messages;
    }

    private void GiveUp(Flow flow)
    {
        flow.Lost = true;
        flow.Framer.Reset();
        flow.Held.Clear();
        flow.HeldBytes = 0;
        LostFlows++;
    }

    private sealed class Flow(int capacity, uint next)
    {
        public DnsTcpMessageFramer Framer { get; } = new(capacity);
        public List<(uint Sequence, byte[] Data)> Held { get; } = [];
        public int HeldBytes { get; set; }
        public uint Next { get; set; } = next;
        public long LastSeen { get; set; }
        public bool Lost { get; set; }
    }
}
