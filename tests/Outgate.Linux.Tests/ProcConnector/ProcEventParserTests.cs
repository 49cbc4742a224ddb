using System.Buffers.Binary;
using CsCheck;
using Outgate.Linux.ProcConnector;

namespace Outgate.Linux.Tests.ProcConnector;

public class ProcEventParserTests
{
    private static byte[] Event(ProcEventType type, params int[] data)
    {
        var bytes = new byte[ProcEventParser.CnMsgSize + 16 + data.Length * 4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, ProcEventParser.CN_IDX_PROC);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), ProcEventParser.CN_VAL_PROC);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(16), (ushort)(16 + data.Length * 4));
        var ev = bytes.AsSpan(ProcEventParser.CnMsgSize);
        BinaryPrimitives.WriteUInt32LittleEndian(ev, (uint)type);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[4..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(ev[8..], 123_456_789);
        for (var i = 0; i < data.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(ev[(16 + i * 4)..], data[i]);
        return bytes;
    }

    [Fact]
    public void Parses_fork_exec_and_exit()
    {
        Assert.True(ProcEventParser.TryParse(Event(ProcEventType.Fork, 10, 10, 11, 11), out var fork));
        Assert.Equal((10, 10, 11, 11, 1u, 123_456_789ul), (fork.ParentPid, fork.ParentTgid, fork.ChildPid, fork.ChildTgid, fork.Cpu, fork.TimestampNanoseconds));
        Assert.True(ProcEventParser.TryParse(Event(ProcEventType.Exec, 11, 11), out var exec));
        Assert.Equal((ProcEventType.Exec, 11, 11), (exec.Type, exec.ProcessId, exec.ProcessTgid));
        Assert.True(ProcEventParser.TryParse(Event(ProcEventType.Exit, 11, 11, 256, 17, 10, 10), out var exit));
        Assert.Equal((256u, 17u, 10), (exit.ExitCode, exit.ExitSignal, exit.ParentTgid));
    }

    [Fact]
    public void Short_or_foreign_messages_return_false()
    {
        var exec = Event(ProcEventType.Exec, 11, 11);
        for (var length = 0; length < exec.Length; length++)
            Assert.False(ProcEventParser.TryParse(exec.AsSpan(0, length), out _));
        exec[0] = 2; // another connector index
        Assert.False(ProcEventParser.TryParse(exec, out _));
        Gen.Byte.Array[0, 80].Sample(bytes => { ProcEventParser.TryParse(bytes, out _); }, iter: 20_000);
    }
}
