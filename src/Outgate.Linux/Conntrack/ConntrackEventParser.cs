using System.Buffers.Binary;
using System.Net.Sockets;
using Outgate.Linux.Netlink;

namespace Outgate.Linux.Conntrack;

/// <summary>
/// Parses ctnetlink event messages (IPCTNL_MSG_CT_NEW / DELETE: nfgenmsg + attributes) into
/// <see cref="ConntrackEvent"/>. Never throws: malformed input returns false.
/// </summary>
/// <remarks>
/// CTA_TUPLE_ORIG nests CTA_TUPLE_IP (CTA_IP_V4_SRC = 4 bytes in network order, V6 = 16) and
/// CTA_TUPLE_PROTO (CTA_PROTO_NUM u8, ports be16): for 10.1.0.1:40000 → 10.1.0.2:80 the proto nest is
/// <c>05 00 01 00 06 000000 | 06 00 02 00 9c 40 0000 | 06 00 03 00 00 50 0000</c>.
/// Counters, mark, id, status and timestamps are big-endian.
/// </remarks>
public static class ConntrackEventParser
{
    public static bool TryParse(in NetlinkMessage message, out ConntrackEvent conntrackEvent) =>
        TryParse(message.Type, message.Flags, message.Payload, out conntrackEvent);

    public static bool TryParse(ushort messageType, ushort messageFlags, ReadOnlySpan<byte> payload, out ConntrackEvent conntrackEvent)
    {
        conntrackEvent = default;
        ConntrackEventType type;
        if (messageType == ConntrackConstants.DeleteMessageType) type = ConntrackEventType.Destroy;
        else if (messageType == ConntrackConstants.NewMessageType)
            type = (messageFlags & ConntrackConstants.NLM_F_CREATE) != 0 ? ConntrackEventType.New : ConntrackEventType.Update;
        else return false;
        if (payload.Length < nfgenmsg.Size) return false;
        var family = payload[0] switch { 2 => AddressFamily.InterNetwork, 10 => AddressFamily.InterNetworkV6, _ => AddressFamily.Unknown };
        if (family == AddressFamily.Unknown) return false;
        try
        {
            return TryParseAttributes(payload[nfgenmsg.Size..], type, family, out conntrackEvent);
        }
        catch (NetlinkParseException)
        {
            conntrackEvent = default;
            return false;
        }
    }

    private static bool TryParseAttributes(ReadOnlySpan<byte> attributes, ConntrackEventType type, AddressFamily family, out ConntrackEvent result)
    {
        result = default;
        ConntrackTuple original = default, reply = default;
        bool hasOriginal = false, hasReply = false;
        uint? id = null, mark = null, status = null;
        byte? tcpState = null;
        ConntrackCounters? originalCounters = null, replyCounters = null;
        ulong? start = null, stop = null;

        var reader = new NetlinkAttributeReader(attributes);
        while (reader.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case ConntrackConstants.CTA_TUPLE_ORIG:
                    if (!TryParseTuple(attribute.Payload, family, out original)) return false;
                    hasOriginal = true;
                    break;
                case ConntrackConstants.CTA_TUPLE_REPLY:
                    if (!TryParseTuple(attribute.Payload, family, out reply)) return false;
                    hasReply = true;
                    break;
                case ConntrackConstants.CTA_ID:
                    if (attribute.Payload.Length < 4) return false;
                    id = BinaryPrimitives.ReadUInt32BigEndian(attribute.Payload);
                    break;
                case ConntrackConstants.CTA_MARK:
                    if (attribute.Payload.Length < 4) return false;
                    mark = BinaryPrimitives.ReadUInt32BigEndian(attribute.Payload);
                    break;
                case ConntrackConstants.CTA_STATUS:
                    if (attribute.Payload.Length < 4) return false;
                    status = BinaryPrimitives.ReadUInt32BigEndian(attribute.Payload);
                    break;
                case ConntrackConstants.CTA_COUNTERS_ORIG:
                    if (!TryParseCounters(attribute.Payload, out var counters)) return false;
                    originalCounters = counters;
                    break;
                case ConntrackConstants.CTA_COUNTERS_REPLY:
                    if (!TryParseCounters(attribute.Payload, out counters)) return false;
                    replyCounters = counters;
                    break;
                case ConntrackConstants.CTA_TIMESTAMP:
                    var timestamps = attribute.Nested();
                    while (timestamps.TryRead(out var stamp))
                    {
                        if (stamp.Payload.Length < 8) return false;
                        var value = BinaryPrimitives.ReadUInt64BigEndian(stamp.Payload);
                        if (stamp.Type == ConntrackConstants.CTA_TIMESTAMP_START) start = value;
                        else if (stamp.Type == ConntrackConstants.CTA_TIMESTAMP_STOP) stop = value;
                    }
                    break;
                case ConntrackConstants.CTA_PROTOINFO:
                    var protoInfo = attribute.Nested();
                    while (protoInfo.TryRead(out var info))
                    {
                        if (info.Type != ConntrackConstants.CTA_PROTOINFO_TCP) continue;
                        if (NetlinkAttributeReader.TryFind(info.Payload, ConntrackConstants.CTA_PROTOINFO_TCP_STATE, out var state) && state.Length >= 1)
                            tcpState = state[0];
                    }
                    break;
            }
        }
        if (!hasOriginal) return false;
        result = new ConntrackEvent
        {
            Type = type,
            Original = original,
            Reply = hasReply ? reply : default,
            Id = id,
            Mark = mark,
            Status = status,
            TcpState = tcpState,
            OriginalCounters = originalCounters,
            ReplyCounters = replyCounters,
            StartNanoseconds = start,
            StopNanoseconds = stop,
        };
        return true;
    }

    private static bool TryParseTuple(ReadOnlySpan<byte> nested, AddressFamily family, out ConntrackTuple tuple)
    {
        tuple = default;
        UInt128 source = 0, destination = 0;
        byte protocol = 0;
        ushort sourcePort = 0, destinationPort = 0, icmpId = 0;
        byte icmpType = 0, icmpCode = 0;
        bool hasIp = false, hasProtocol = false;
        var reader = new NetlinkAttributeReader(nested);
        while (reader.TryRead(out var part))
        {
            if (part.Type == ConntrackConstants.CTA_TUPLE_IP)
            {
                var ip = part.Nested();
                while (ip.TryRead(out var address))
                {
                    switch (address.Type)
                    {
                        case ConntrackConstants.CTA_IP_V4_SRC when address.Payload.Length >= 4:
                            source = BinaryPrimitives.ReadUInt32BigEndian(address.Payload);
                            hasIp = true;
                            break;
                        case ConntrackConstants.CTA_IP_V4_DST when address.Payload.Length >= 4:
                            destination = BinaryPrimitives.ReadUInt32BigEndian(address.Payload);
                            break;
                        case ConntrackConstants.CTA_IP_V6_SRC when address.Payload.Length >= 16:
                            source = BinaryPrimitives.ReadUInt128BigEndian(address.Payload);
                            hasIp = true;
                            break;
                        case ConntrackConstants.CTA_IP_V6_DST when address.Payload.Length >= 16:
                            destination = BinaryPrimitives.ReadUInt128BigEndian(address.Payload);
                            break;
                    }
                }
            }
            else if (part.Type == ConntrackConstants.CTA_TUPLE_PROTO)
            {
                var proto = part.Nested();
                while (proto.TryRead(out var field))
                {
                    var value = field.Payload;
                    switch (field.Type)
                    {
                        case ConntrackConstants.CTA_PROTO_NUM when value.Length >= 1:
                            protocol = value[0];
                            hasProtocol = true;
                            break;
                        case ConntrackConstants.CTA_PROTO_SRC_PORT when value.Length >= 2:
                            sourcePort = BinaryPrimitives.ReadUInt16BigEndian(value);
                            break;
                        case ConntrackConstants.CTA_PROTO_DST_PORT when value.Length >= 2:
                            destinationPort = BinaryPrimitives.ReadUInt16BigEndian(value);
                            break;
                        case (ConntrackConstants.CTA_PROTO_ICMP_ID or ConntrackConstants.CTA_PROTO_ICMPV6_ID) when value.Length >= 2:
                            icmpId = BinaryPrimitives.ReadUInt16BigEndian(value);
                            break;
                        case (ConntrackConstants.CTA_PROTO_ICMP_TYPE or ConntrackConstants.CTA_PROTO_ICMPV6_TYPE) when value.Length >= 1:
                            icmpType = value[0];
                            break;
                        case (ConntrackConstants.CTA_PROTO_ICMP_CODE or ConntrackConstants.CTA_PROTO_ICMPV6_CODE) when value.Length >= 1:
                            icmpCode = value[0];
                            break;
                    }
                }
            }
        }
        if (!hasIp || !hasProtocol) return false;
        tuple = new ConntrackTuple
        {
            Family = family,
            Protocol = protocol,
            Source = source,
            Destination = destination,
            SourcePort = sourcePort,
            DestinationPort = destinationPort,
            IcmpId = icmpId,
            IcmpType = icmpType,
            IcmpCode = icmpCode,
        };
        return true;
    }

    private static bool TryParseCounters(ReadOnlySpan<byte> nested, out ConntrackCounters counters)
    {
        counters = default;
        ulong packets = 0, bytes = 0;
        var reader = new NetlinkAttributeReader(nested);
        while (reader.TryRead(out var counter))
        {
            var value = counter.Payload;
            switch (counter.Type)
            {
                case ConntrackConstants.CTA_COUNTERS_PACKETS when value.Length >= 8:
                    packets = BinaryPrimitives.ReadUInt64BigEndian(value);
                    break;
                case ConntrackConstants.CTA_COUNTERS_BYTES when value.Length >= 8:
                    bytes = BinaryPrimitives.ReadUInt64BigEndian(value);
                    break;
                case ConntrackConstants.CTA_COUNTERS32_PACKETS when value.Length >= 4:
                    packets = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case ConntrackConstants.CTA_COUNTERS32_BYTES when value.Length >= 4:
                    bytes = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
            }
        }
        counters = new ConntrackCounters(packets, bytes);
        return true;
    }
}
