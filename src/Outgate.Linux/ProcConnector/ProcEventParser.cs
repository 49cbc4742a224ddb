using System.Buffers.Binary;

namespace Outgate.Linux.ProcConnector;

/// <summary>
/// Parses the payload of a proc connector netlink message: struct cn_msg (20 bytes: cb_id idx,
/// val, seq, ack, u16 len, u16 flags) followed by struct proc_event (what, cpu, aligned u64
/// timestamp_ns, then the union at offset 16). All host byte order. Never throws.
/// </summary>
/// <remarks>
/// An exec of pid 1234: cn_msg <c>01000000 01000000 seq ack 2800 0000</c> (idx CN_IDX_PROC,
/// val CN_VAL_PROC, len 40), proc_event <c>02000000 cpu ts(8) d2040000 d2040000</c>.
/// </remarks>
public static class ProcEventParser
{
    public const int CnMsgSize = 20;
    public const uint CN_IDX_PROC = 1;
    public const uint CN_VAL_PROC = 1;

    private static int Int(ReadOnlySpan<byte> body, int index) => BinaryPrimitives.ReadInt32LittleEndian(body[(index * 4)..]);

    public static bool TryParse(ReadOnlySpan<byte> payload, out ProcEvent procEvent)
    {
        procEvent = default;
        if (payload.Length < CnMsgSize + 16) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(payload) != CN_IDX_PROC || BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]) != CN_VAL_PROC) return false;
        int dataLength = BinaryPrimitives.ReadUInt16LittleEndian(payload[16..]);
        var data = payload[CnMsgSize..];
        if (dataLength < 16 || dataLength > data.Length) return false;
        data = data[..dataLength];
        var type = (ProcEventType)BinaryPrimitives.ReadUInt32LittleEndian(data);
        var cpu = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        var timestamp = BinaryPrimitives.ReadUInt64LittleEndian(data[8..]);
        var body = data[16..];
        var result = new ProcEvent { Type = type, Cpu = cpu, TimestampNanoseconds = timestamp };
        switch (type)
        {
            case ProcEventType.None:
                if (body.Length < 4) return false;
                result = result with { AckError = (uint)Int(body, 0) };
                break;
            case ProcEventType.Fork:
                if (body.Length < 16) return false;
                result = result with { ParentPid = Int(body, 0), ParentTgid = Int(body, 1), ChildPid = Int(body, 2), ChildTgid = Int(body, 3) };
                break;
            case ProcEventType.Exec or ProcEventType.Comm or ProcEventType.Coredump or ProcEventType.Sid or ProcEventType.Ptrace:
                if (body.Length < 8) return false;
                result = result with { ProcessId = Int(body, 0), ProcessTgid = Int(body, 1) };
                break;
            case ProcEventType.Uid or ProcEventType.Gid:
                if (body.Length < 16) return false;
                result = result with { ProcessId = Int(body, 0), ProcessTgid = Int(body, 1), ExitCode = (uint)Int(body, 2), ExitSignal = (uint)Int(body, 3) };
                break;
            case ProcEventType.Exit or ProcEventType.NonzeroExit:
                if (body.Length < 16) return false;
                result = result with { ProcessId = Int(body, 0), ProcessTgid = Int(body, 1), ExitCode = (uint)Int(body, 2), ExitSignal = (uint)Int(body, 3) };
                if (body.Length >= 24) result = result with { ParentPid = Int(body, 4), ParentTgid = Int(body, 5) };
                break;
            default:
                return false;
        }
        procEvent = result;
        return true;
    }
}
