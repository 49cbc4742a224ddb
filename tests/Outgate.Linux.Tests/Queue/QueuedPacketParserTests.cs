using System.Buffers.Binary;
using CsCheck;
using Outgate.Linux.Netlink;
using Outgate.Linux.Packets;
using Outgate.Linux.Queue;
using Outgate.Linux.Tests.Netlink;

namespace Outgate.Linux.Tests.Queue;

public class QueuedPacketParserTests
{
    private static byte[] Captured => NetlinkBytes.FromHexFile("nfqueue-syn4.hex");

    private static bool TryParse(ReadOnlySpan<byte> datagram, out uint id, out PacketFlow flow)
    {
        id = 0;
        flow = default;
        if (datagram.Length < nlmsghdr.Size) return false;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(datagram);
        if (length < nlmsghdr.Size || length > datagram.Length) return false;
        if (!QueuedPacketParser.TryParse(datagram[nlmsghdr.Size..(int)length], out var packet)) return false;
        id = packet.Id;
        packet.TryGetFlow(out flow);
        return true;
    }

    [Fact]
    public void Parses_a_captured_kernel_datagram()
    {
        var reader = new NetlinkMessageReader(Captured);
        Assert.True(reader.TryRead(out var message));
        Assert.Equal(NfQueueConstants.PacketMessageType, message.Type);
        Assert.True(QueuedPacketParser.TryParse(message, out var packet));
        Assert.Equal((ushort)0, packet.QueueNumber);
        Assert.Equal((1u, (ushort)0x0800, (byte)3), (packet.Id, packet.HardwareProtocol, packet.Hook));
        Assert.Equal((true, 65534u, 65534u), (packet.HasUid, packet.Uid, packet.Gid));
        Assert.Equal((0u, 2u, 0u), (packet.InputInterface, packet.OutputInterface, packet.Mark));
        Assert.Equal(NfQueueConstants.NFQA_SKB_CSUMNOTREADY, packet.SkbInfo);
        Assert.Equal((60, 60), (packet.Payload.Length, packet.OriginalLength));
        Assert.True(packet.TryGetFlow(out var flow));
        Assert.Equal("tcp 10.77.0.1:49024 -> 10.77.0.2:80 [Syn]", flow.ToString());
    }

    [Fact]
    public void Other_message_types_are_not_packets()
    {
        var bytes = Captured;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), NfQueueConstants.VerdictMessageType);
        var reader = new NetlinkMessageReader(bytes);
        Assert.True(reader.TryRead(out var message));
        Assert.False(QueuedPacketParser.TryParse(message, out _));
    }

    [Fact]
    public void Every_truncation_parses_or_returns_false()
    {
        var datagram = Captured;
        for (var length = 0; length <= datagram.Length; length++)
        {
            var cut = datagram[..length];
            if (length >= 16) BinaryPrimitives.WriteUInt32LittleEndian(cut, (uint)length); // the header follows the cut
            TryParse(cut, out _, out _);
        }
    }

    [Fact]
    public void Mutated_datagrams_never_throw()
    {
        var datagram = Captured;
        Gen.Select(Gen.Int[0, datagram.Length - 1], Gen.Byte).Array[1, 12].Sample(mutations =>
        {
            var copy = (byte[])datagram.Clone();
            foreach (var (at, value) in mutations) copy[at] = value;
            TryParse(copy, out _, out _);
        }, iter: 20_000);
    }

    [Fact]
    public void Verdict_encoding_matches_the_kernel_layout()
    {
        Span<byte> buffer = stackalloc byte[NfQueueMessages.MaxVerdictSize];
        var length = NfQueueMessages.WriteVerdict(buffer, 0, 42, NfQueueVerdict.Accept, null, sequence: 7);
        Assert.Equal("20000000" + "0103" + "0100" + "07000000" + "00000000" + "00000000" + "0c000200" + "00000001" + "0000002a",
            Convert.ToHexString(buffer[..length]).ToLowerInvariant());

        length = NfQueueMessages.WriteVerdictBatch(buffer, 1, 0x01020304, NfQueueVerdict.Drop, 0x2a);
        Assert.Equal("28000000" + "0303" + "0100" + "00000000" + "00000000" + "00000001" + "0c000200" + "00000000" + "01020304" + "08000300" + "0000002a",
            Convert.ToHexString(buffer[..length]).ToLowerInvariant());
    }

    [Fact]
    public void Kernel_statistics_line_is_read_for_the_right_queue()
    {
        const string text = "    0  12345     3 2   128     0     0       17  1\n    1  12346     0 2   128     4     5       99  1\n";
        Assert.True(NfQueueKernelStatistics.TryParse(text, 1, out var s));
        Assert.Equal(new NfQueueKernelStatistics(1, 12346, 0, 2, 128, 4, 5, 99), s);
        Assert.False(NfQueueKernelStatistics.TryParse(text, 2, out _));
    }

    [Fact]
    public void Queue_rule_options_refuse_overlapping_marks()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueRuleOptions { DenyMark = QueueRuleOptions.DefaultQueuedMark }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueRuleOptions { AllowMark = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueRuleOptions { QueueCount = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new NfQueueOptions { CopyRange = 10 }.Validate());
        new QueueRuleOptions().Validate();
    }

    [Theory]
    [InlineData(0x0080_0000u, AppVerdict.Allow, 0x0020_0000u)]
    [InlineData(0x0080_0000u, AppVerdict.Deny, 0x0040_0000u)]
    [InlineData(0x0080_0000u, AppVerdict.None, 0u)]
    [InlineData(0x0080_0001u, AppVerdict.Deny, 0x0040_0001u)] // SO_MARK bits survive
    [InlineData(0xffff_ffffu, AppVerdict.Allow, 0xff3f_ffffu)] // a stale deny bit is cleared
    [InlineData(0u, AppVerdict.Allow, 0x0020_0000u)]
    public void Verdict_mark_clears_queued_sets_the_decision_and_keeps_other_bits(uint packetMark, AppVerdict verdict, uint expected) =>
        Assert.Equal(expected, QueueVerdictMark.Default.For(packetMark, verdict));

    [Fact]
    public void Verdict_mark_defaults_are_the_daemon_marks()
    {
        // Copied from Outgate.Policy.DaemonMarks (not referenced from here): Queued, Allow, Deny.
        Assert.Equal(new QueueVerdictMark(0x0080_0000, 0x0020_0000, 0x0040_0000), QueueVerdictMark.Default);
        Assert.Equal(0x00e0_0000u, new QueueRuleOptions().DaemonBits);
    }

    [Fact]
    public void Native_ruleset_queues_only_first_packets_at_mangle_and_copies_our_marks_to_conntrack()
    {
        var text = QueueRuleInstaller.NativeRuleset(new QueueRuleOptions(), withQueue: true);
        Assert.Contains("type filter hook output priority mangle;", text);
        Assert.Contains("ct state new tcp flags & (syn | ack | rst | fin) == syn meta mark set meta mark | 0x00800000 queue num 0-1 bypass,fanout", text);
        Assert.Contains("ct state new meta l4proto != tcp meta mark set meta mark | 0x00800000 queue num 0-1 bypass,fanout", text);
        Assert.Contains("oif \"lo\" accept", text);
        Assert.Contains("ct state new meta mark & 0x00e00000 != 0 ct mark set meta mark", text);
        Assert.DoesNotContain("reject", text);
        var copyOnly = QueueRuleInstaller.NativeRuleset(new QueueRuleOptions(), withQueue: false);
        Assert.DoesNotContain("queue num", copyOnly);
        Assert.Contains("priority filter + 10", copyOnly);
    }

    [Fact]
    public void Compat_rules_live_in_mangle_and_the_jump_is_appended()
    {
        var commands = QueueRuleInstaller.CompatCommands(new QueueRuleOptions { QueueCount = 1 }).Select(c => string.Join(' ', c)).ToArray();
        Assert.All(commands, c => Assert.Contains("-t mangle", c));
        Assert.Equal("-w -t mangle -A OUTPUT ! -o lo -j OUTGATE-QUEUE", commands[^1]);
        Assert.Contains(commands, c => c.EndsWith("--tcp-flags SYN,ACK,RST,FIN SYN -m conntrack --ctstate NEW -j NFQUEUE --queue-num 0 --queue-bypass"));
    }
}
