using System.Buffers.Binary;
using Outgate.Linux.Netlink;

namespace Outgate.Linux.Queue;

/// <summary>
/// Reads an NFQNL_MSG_PACKET message (nfgenmsg + attributes) into a <see cref="QueuedPacket"/>.
/// Allocation-free; returns false for anything malformed (never throws).
/// </summary>
/// <remarks>
/// NFQA_PACKET_HDR is struct nfqnl_msg_packet_hdr: be32 packet_id, be16 hw_protocol, u8 hook
/// (7 bytes, padded to 8): <c>00 00 00 2a 08 00 03</c> = packet 42, IPv4, NF_INET_LOCAL_OUT.
/// NFQA_MARK, NFQA_IFINDEX_*, NFQA_UID/GID, NFQA_CAP_LEN and NFQA_SKB_INFO are be32.
/// </remarks>
public static class QueuedPacketParser
{
    public static bool TryParse(in NetlinkMessage message, out QueuedPacket packet)
    {
        packet = default;
        return message.Type == NfQueueConstants.PacketMessageType && TryParse(message.Payload, out packet);
    }

    /// <summary>Parses the payload of an NFQNL_MSG_PACKET message (starting at nfgenmsg).</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out QueuedPacket packet)
    {
        packet = default;
        if (payload.Length < nfgenmsg.Size) return false;
        var queue = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
        var attributes = payload[nfgenmsg.Size..];

        uint id = 0, mark = 0, inDev = 0, outDev = 0, uid = 0, gid = 0, capLen = 0, skbInfo = 0;
        ushort hwProtocol = 0;
        byte hook = 0;
        bool hasHeader = false, hasUid = false, hasCapLen = false;
        ReadOnlySpan<byte> data = default;

        var offset = 0;
        while (offset < attributes.Length)
        {
            // Inline attribute walk (not NetlinkAttributeReader) so garbage returns false instead of throwing.
            var rest = attributes[offset..];
            if (rest.Length < nlattr.Size) return false;
            var length = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]) & nlattr.NLA_TYPE_MASK);
            if (length < nlattr.Size || length > rest.Length) return false;
            var value = rest[nlattr.Size..length];
            switch (type)
            {
                case NfQueueConstants.NFQA_PACKET_HDR:
                    if (value.Length < 7) return false;
                    id = BinaryPrimitives.ReadUInt32BigEndian(value);
                    hwProtocol = BinaryPrimitives.ReadUInt16BigEndian(value[4..]);
                    hook = value[6];
                    hasHeader = true;
                    break;
                case NfQueueConstants.NFQA_MARK:
                    if (!TryReadBE32(value, out mark)) return false;
                    break;
                case NfQueueConstants.NFQA_IFINDEX_INDEV:
                    if (!TryReadBE32(value, out inDev)) return false;
                    break;
                case NfQueueConstants.NFQA_IFINDEX_OUTDEV:
                    if (!TryReadBE32(value, out outDev)) return false;
                    break;
                case NfQueueConstants.NFQA_UID:
                    if (!TryReadBE32(value, out uid)) return false;
                    hasUid = true;
                    break;
                case NfQueueConstants.NFQA_GID:
                    if (!TryReadBE32(value, out gid)) return false;
                    break;
                case NfQueueConstants.NFQA_CAP_LEN:
                    if (!TryReadBE32(value, out capLen)) return false;
                    hasCapLen = true;
                    break;
                case NfQueueConstants.NFQA_SKB_INFO:
                    if (!TryReadBE32(value, out skbInfo)) return false;
                    break;
                case NfQueueConstants.NFQA_PAYLOAD:
                    data = value;
                    break;
            }
            offset += Math.Min(NetlinkConstants.Align(length), rest.Length);
        }
        if (!hasHeader) return false;
        packet = new QueuedPacket
        {
            QueueNumber = queue,
            Id = id,
            HardwareProtocol = hwProtocol,
            Hook = hook,
            Mark = mark,
            InputInterface = inDev,
            OutputInterface = outDev,
            HasUid = hasUid,
            Uid = uid,
            Gid = gid,
            OriginalLength = hasCapLen && capLen <= int.MaxValue ? (int)capLen : data.Length,
            SkbInfo = skbInfo,
            Payload = data,
        };
        return true;
    }

    private static bool TryReadBE32(ReadOnlySpan<byte> value, out uint result)
    {
        if (value.Length < 4)
        {
            result = 0;
            return false;
        }
        result = BinaryPrimitives.ReadUInt32BigEndian(value);
        return true;
    }
}
