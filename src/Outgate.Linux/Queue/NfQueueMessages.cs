using Outgate.Linux.Netlink;

namespace Outgate.Linux.Queue;

/// <summary>
/// Encodes the messages we send on an NFQUEUE socket into caller buffers (allocation-free):
/// verdicts, batch verdicts and configuration requests.
/// </summary>
public static class NfQueueMessages
{
    /// <summary>Largest verdict message: header 16 + nfgenmsg 4 + verdict hdr 12 + mark 8.</summary>
    public const int MaxVerdictSize = 40;

    /// <summary>NFQNL_MSG_VERDICT for one packet, optionally setting its mark (NFQA_MARK).</summary>
    public static int WriteVerdict(Span<byte> buffer, ushort queue, uint id, NfQueueVerdict verdict, uint? mark, uint sequence = 0) =>
        Write(buffer, NfQueueConstants.VerdictMessageType, queue, id, verdict, mark, sequence);

    /// <summary>NFQNL_MSG_VERDICT_BATCH: the verdict (and mark) for every queued id up to and including <paramref name="maxId"/>.</summary>
    public static int WriteVerdictBatch(Span<byte> buffer, ushort queue, uint maxId, NfQueueVerdict verdict, uint? mark, uint sequence = 0) =>
        Write(buffer, NfQueueConstants.VerdictBatchMessageType, queue, maxId, verdict, mark, sequence);

    private static int Write(Span<byte> buffer, ushort type, ushort queue, uint id, NfQueueVerdict verdict, uint? mark, uint sequence)
    {
        var writer = new NetlinkMessageWriter(buffer, type, NetlinkConstants.NLM_F_REQUEST, sequence);
        writer.WriteNfgenmsg(0, queue);
        Span<byte> header = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, (uint)verdict);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header[4..], id);
        writer.WriteAttribute(NfQueueConstants.NFQA_VERDICT_HDR, header);
        if (mark is { } value) writer.WriteAttributeBigEndian(NfQueueConstants.NFQA_MARK, value);
        return writer.Finish().Length;
    }

    /// <summary>NFQNL_MSG_CONFIG carrying one NFQA_CFG_CMD (struct nfqnl_msg_config_cmd: u8 command, u8 pad, be16 pf).</summary>
    public static int WriteCommand(Span<byte> buffer, uint sequence, ushort queue, byte command, ushort protocolFamily)
    {
        var writer = new NetlinkMessageWriter(buffer, NfQueueConstants.ConfigMessageType, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK, sequence);
        writer.WriteNfgenmsg(0, queue);
        Span<byte> cmd = [command, 0, (byte)(protocolFamily >> 8), (byte)protocolFamily];
        writer.WriteAttribute(NfQueueConstants.NFQA_CFG_CMD, cmd);
        return writer.Finish().Length;
    }

    /// <summary>NFQNL_MSG_CONFIG with copy mode/range (struct nfqnl_msg_config_params: be32 range, u8 mode), queue length and flags + mask.</summary>
    public static int WriteParameters(Span<byte> buffer, uint sequence, ushort queue, byte copyMode, uint copyRange, uint maxLength, uint flags, uint mask)
    {
        var writer = new NetlinkMessageWriter(buffer, NfQueueConstants.ConfigMessageType, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK, sequence);
        writer.WriteNfgenmsg(0, queue);
        Span<byte> parameters = stackalloc byte[5];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(parameters, copyRange);
        parameters[4] = copyMode;
        writer.WriteAttribute(NfQueueConstants.NFQA_CFG_PARAMS, parameters);
        writer.WriteAttributeBigEndian(NfQueueConstants.NFQA_CFG_QUEUE_MAXLEN, maxLength);
        writer.WriteAttributeBigEndian(NfQueueConstants.NFQA_CFG_FLAGS, flags);
        writer.WriteAttributeBigEndian(NfQueueConstants.NFQA_CFG_MASK, mask);
        return writer.Finish().Length;
    }
}
