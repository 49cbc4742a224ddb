using System.Buffers.Binary;
using Outgate.Linux.Netlink;
using static Outgate.Linux.Nftables.NftNetlinkConstants;

namespace Outgate.Linux.Nftables;

/// <summary>
/// Parses nf_tables change notifications (nlmsg_type = NFNL_SUBSYS_NFTABLES &lt;&lt; 8 | NFT_MSG_*,
/// payload nfgenmsg + attributes) into <see cref="NftChange"/>. Never throws: anything malformed
/// or not a change (GET*, TRACE) returns false. Allocates nothing.
/// </summary>
/// <remarks>
/// A NEWTABLE for <c>inet outgate</c> is nlmsg_type <c>0x0a00</c>, nfgenmsg <c>01 00 00 xx</c>
/// (family 1 = inet, res_id = generation, big-endian), then NFTA_TABLE_NAME
/// <c>0c 00 01 00 6f 75 74 67 61 74 65 00</c> ("outgate\0"), NFTA_TABLE_FLAGS, NFTA_TABLE_USE,
/// NFTA_TABLE_HANDLE (be64). The NEWGEN after the commit carries NFTA_GEN_ID (be32),
/// NFTA_GEN_PROC_PID (be32) and NFTA_GEN_PROC_NAME ("nft\0").
/// </remarks>
public static class NftChangeParser
{
    public static bool TryParse(in NetlinkMessage message, out NftChange change) =>
        TryParse(message.Type, message.Header.nlmsg_pid, message.Payload, out change);

    public static bool TryParse(ushort messageType, uint senderPortId, ReadOnlySpan<byte> payload, out NftChange change)
    {
        change = default;
        if (messageType >> 8 != NFNL_SUBSYS_NFTABLES || payload.Length < nfgenmsg.Size) return false;
        var type = (NftMessageType)(messageType & 0xff);
        if (!TryClassify(type, out var kind, out var isAdd)) return false;
        try
        {
            return kind == NftObjectKind.Generation
                ? TryParseGeneration(payload[nfgenmsg.Size..], senderPortId, out change)
                : TryParseObject(type, kind, isAdd, payload[0], payload[nfgenmsg.Size..], senderPortId, out change);
        }
        catch (NetlinkParseException)
        {
            change = default;
            return false;
        }
    }

    private static bool TryClassify(NftMessageType type, out NftObjectKind kind, out bool isAdd)
    {
        (kind, isAdd) = type switch
        {
            NftMessageType.NewTable => (NftObjectKind.Table, true),
            NftMessageType.DelTable or NftMessageType.DestroyTable => (NftObjectKind.Table, false),
            NftMessageType.NewChain => (NftObjectKind.Chain, true),
            NftMessageType.DelChain or NftMessageType.DestroyChain => (NftObjectKind.Chain, false),
            NftMessageType.NewRule => (NftObjectKind.Rule, true),
            NftMessageType.DelRule or NftMessageType.DestroyRule => (NftObjectKind.Rule, false),
            NftMessageType.NewSet => (NftObjectKind.Set, true),
            NftMessageType.DelSet or NftMessageType.DestroySet => (NftObjectKind.Set, false),
            NftMessageType.NewSetElement => (NftObjectKind.SetElement, true),
            NftMessageType.DelSetElement or NftMessageType.DestroySetElement => (NftObjectKind.SetElement, false),
            NftMessageType.NewObject => (NftObjectKind.Object, true),
            NftMessageType.DelObject or NftMessageType.DestroyObject => (NftObjectKind.Object, false),
            NftMessageType.NewFlowtable => (NftObjectKind.Flowtable, true),
            NftMessageType.DelFlowtable or NftMessageType.DestroyFlowtable => (NftObjectKind.Flowtable, false),
            NftMessageType.NewGeneration => (NftObjectKind.Generation, true),
            _ => ((NftObjectKind)byte.MaxValue, false),
        };
        return kind != (NftObjectKind)byte.MaxValue;
    }

    private static bool TryParseObject(NftMessageType type, NftObjectKind kind, bool isAdd, byte family, ReadOnlySpan<byte> attributes, uint sender, out NftChange change)
    {
        // Every kind names its table in attribute 1; the own name and handle sit at per-kind numbers.
        var (nameType, handleType) = kind switch
        {
            NftObjectKind.Table => ((ushort)0, NFTA_TABLE_HANDLE),
            NftObjectKind.Chain => (NFTA_CHAIN_NAME, NFTA_CHAIN_HANDLE),
            NftObjectKind.Rule => (NFTA_RULE_CHAIN, NFTA_RULE_HANDLE),
            NftObjectKind.Set => (NFTA_SET_NAME, NFTA_SET_HANDLE),
            NftObjectKind.SetElement => (NFTA_SET_ELEM_LIST_SET, (ushort)0),
            NftObjectKind.Object => (NFTA_OBJ_NAME, NFTA_OBJ_HANDLE),
            _ => (NFTA_FLOWTABLE_NAME, NFTA_FLOWTABLE_HANDLE),
        };
        ReadOnlySpan<byte> table = default, name = default;
        ulong handle = 0;
        var reader = new NetlinkAttributeReader(attributes);
        while (reader.TryRead(out var attribute))
        {
            if (attribute.Type == NFTA_TABLE_NAME) table = CString(attribute.Payload);
            else if (nameType != 0 && attribute.Type == nameType) name = CString(attribute.Payload);
            else if (handleType != 0 && attribute.Type == handleType && attribute.Payload.Length == 8)
                handle = BinaryPrimitives.ReadUInt64BigEndian(attribute.Payload);
        }
        change = default;
        if (table.IsEmpty) return false; // every object notification names its table
        change = new NftChange
        {
            MessageType = type, Kind = kind, IsAdd = isAdd, Family = family,
            Table = table, Name = name, Handle = handle, SenderPortId = sender,
        };
        return true;
    }

    private static bool TryParseGeneration(ReadOnlySpan<byte> attributes, uint sender, out NftChange change)
    {
        uint id = 0;
        var pid = 0;
        ReadOnlySpan<byte> processName = default;
        var hasId = false;
        var reader = new NetlinkAttributeReader(attributes);
        while (reader.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case NFTA_GEN_ID when attribute.Payload.Length == 4:
                    id = BinaryPrimitives.ReadUInt32BigEndian(attribute.Payload);
                    hasId = true;
                    break;
                case NFTA_GEN_PROC_PID when attribute.Payload.Length == 4:
                    pid = (int)BinaryPrimitives.ReadUInt32BigEndian(attribute.Payload);
                    break;
                case NFTA_GEN_PROC_NAME:
                    processName = CString(attribute.Payload);
                    break;
            }
        }
        change = default;
        if (!hasId) return false;
        change = new NftChange
        {
            MessageType = NftMessageType.NewGeneration, Kind = NftObjectKind.Generation, IsAdd = true,
            GenerationId = id, ProcessId = pid, ProcessName = processName, SenderPortId = sender,
        };
        return true;
    }

    /// <summary>A NLA_STRING / NLA_NUL_STRING payload up to its first NUL (the kernel includes one; a missing one is tolerated).</summary>
    private static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> payload)
    {
        var end = payload.IndexOf((byte)0);
        return end < 0 ? payload : payload[..end];
    }
}
