using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Outgate.Linux.Netlink;
using Outgate.Linux.SockDiag;

namespace Outgate.Benchmarks.SockDiag;

/// <summary>
/// Parsing a sock_diag dump of 1,000 TCP sockets as the kernel sends it (nlmsghdr + inet_diag_msg +
/// INET_DIAG_INFO with a 232-byte tcp_info + a congestion-control name + a shutdown byte).
/// Results are per message (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class InetDiagParseBenchmarks
{
    private const int Messages = 1000;
    private byte[] _dump = [];
    private readonly List<SocketEntry> _entries = new(Messages);

    [GlobalSetup]
    public void Setup()
    {
        var stream = new MemoryStream();
        for (var i = 0; i < Messages; i++) stream.Write(Message(i));
        _dump = stream.ToArray();
    }

    /// <summary>Walks messages, validates headers and attributes, reads the fields; allocates nothing.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public ulong Fields_only()
    {
        ulong sum = 0;
        var reader = new NetlinkMessageReader(_dump);
        while (reader.TryRead(out var message))
        {
            var parser = new InetDiagMessageParser(message.Payload);
            sum += parser.Inode + parser.SourcePort + parser.Uid + parser.ReadTcpCounters()!.Value.BytesSent;
        }
        return sum;
    }

    /// <summary>What <see cref="SockDiagClient.Dump"/> does per message: a SocketEntry with two IPAddress objects.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public int To_SocketEntry()
    {
        _entries.Clear();
        var reader = new NetlinkMessageReader(_dump);
        while (reader.TryRead(out var message))
            _entries.Add(new InetDiagMessageParser(message.Payload).ToSocketEntry(SocketProtocol.Tcp));
        return _entries.Count;
    }

    private static byte[] Message(int i)
    {
        var info = new byte[232];
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(68), 1200);
        BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(120), (ulong)i * 100);
        byte[][] attributes = [Attribute(SockDiagConstants.INET_DIAG_INFO, info), Attribute(4, "cubic\0"u8.ToArray()), Attribute(8, [0])];
        var length = 16 + 72 + attributes.Sum(a => a.Length);
        var bytes = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), SockDiagConstants.SOCK_DIAG_BY_FAMILY);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), NetlinkConstants.NLM_F_MULTI);
        var msg = bytes.AsSpan(16);
        msg[0] = SockDiagConstants.AF_INET;
        msg[1] = (byte)SocketState.Established;
        BinaryPrimitives.WriteUInt16BigEndian(msg[4..], (ushort)(30000 + i));
        BinaryPrimitives.WriteUInt16BigEndian(msg[6..], 443);
        new byte[] { 10, 0, 0, 2 }.CopyTo(msg[8..]);
        new byte[] { 93, 184, (byte)(i >> 8), (byte)i }.CopyTo(msg[24..]);
        BinaryPrimitives.WriteUInt32LittleEndian(msg[64..], 1000);
        BinaryPrimitives.WriteUInt32LittleEndian(msg[68..], (uint)(100000 + i));
        var at = 16 + 72;
        foreach (var a in attributes) { a.CopyTo(bytes, at); at += a.Length; }
        return bytes;
    }

    private static byte[] Attribute(ushort type, byte[] payload)
    {
        var bytes = new byte[(4 + payload.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), type);
        payload.CopyTo(bytes, 4);
        return bytes;
    }
}
