using BenchmarkDotNet.Attributes;
using Outgate.Linux.Netlink;
using Outgate.Linux.Packets;
using Outgate.Linux.Queue;

namespace Outgate.Benchmarks.Queue;

/// <summary>
/// The per-packet user-space work of the NFQUEUE verdict path on a datagram captured from the
/// kernel (a queued TCP SYN with UID/GID, out interface, skb info and a 60-byte payload; same
/// bytes as tests/Outgate.Linux.Tests/testdata/nfqueue-syn4.hex): netlink header, NFQA_*
/// attributes, IP/TCP headers, then encoding the verdict message. Must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class QueueVerdictPathBenchmarks
{
    private const string CapturedSyn =
        "80000000000300000000000000000000020000000b00010000000001080003000800060000000002080010000000fffe080011000000fffe08000e000000000140000a004500003cba67400040066bb80a4d00010a4d0002bf800050a34007a900000000a002faf014cb0000020405b40402080acc8995ba000000000103030a";

    private readonly byte[] _datagram = Convert.FromHexString(CapturedSyn);
    private readonly byte[] _verdict = new byte[NfQueueMessages.MaxVerdictSize];

    /// <summary>Netlink message + NFQA attributes into a QueuedPacket.</summary>
    [Benchmark]
    public uint Parse_queued_packet()
    {
        var reader = new NetlinkMessageReader(_datagram);
        reader.TryRead(out var message);
        QueuedPacketParser.TryParse(message, out var packet);
        return packet.Id;
    }

    /// <summary>Parse, read the 5-tuple and flags, encode a single verdict with a mark.</summary>
    [Benchmark(Baseline = true)]
    public int Parse_flow_and_encode_verdict()
    {
        var reader = new NetlinkMessageReader(_datagram);
        reader.TryRead(out var message);
        QueuedPacketParser.TryParse(message, out var packet);
        packet.TryGetFlow(out var flow);
        return NfQueueMessages.WriteVerdict(_verdict, packet.QueueNumber, packet.Id, flow.IsTcpSyn ? NfQueueVerdict.Accept : NfQueueVerdict.Drop, 0x2a)
            + flow.DestinationPort;
    }

    /// <summary>The same with a batch verdict message (what the harness sends once per batch).</summary>
    [Benchmark]
    public int Parse_flow_and_encode_batch_verdict()
    {
        var reader = new NetlinkMessageReader(_datagram);
        reader.TryRead(out var message);
        QueuedPacketParser.TryParse(message, out var packet);
        packet.TryGetFlow(out var flow);
        return NfQueueMessages.WriteVerdictBatch(_verdict, packet.QueueNumber, packet.Id, NfQueueVerdict.Accept, null) + flow.SourcePort;
    }

    /// <summary>IP/TCP header parse alone (the 60-byte payload).</summary>
    [Benchmark]
    public ushort Parse_packet_flow()
    {
        PacketParser.TryParse(_datagram.AsSpan(68), out var flow);
        return flow.DestinationPort;
    }
}
