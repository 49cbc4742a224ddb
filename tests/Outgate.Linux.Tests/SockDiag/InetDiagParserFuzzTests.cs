using System.Buffers.Binary;
using CsCheck;
using Outgate.Linux.Netlink;
using Outgate.Linux.SockDiag;
using Outgate.Linux.Tests.Netlink;

namespace Outgate.Linux.Tests.SockDiag;

/// <summary>
/// The full dump path (message reader → inet_diag parser → attributes → SocketEntry) on captured
/// kernel replies that are cut, bit-flipped and lied about: only NetlinkParseException escapes.
/// </summary>
public class InetDiagParserFuzzTests
{
    public static TheoryData<string> Captures => new() { "tcp4-dump.hex", "udp6-dump.hex" };

    [Theory]
    [MemberData(nameof(Captures))]
    public void Truncation_at_every_offset_parses_or_fails_cleanly(string capture)
    {
        var datagram = NetlinkBytes.FromHexFile(capture);
        var failures = 0;
        for (var length = 0; length <= datagram.Length; length++)
            if (!TryParse(datagram.AsSpan(0, length))) failures++;
        Assert.True(failures > 0);
        Assert.True(TryParse(datagram));
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Random_byte_mutations_parse_or_fail_cleanly(string capture)
    {
        var datagram = NetlinkBytes.FromHexFile(capture);
        Gen.Select(Gen.Int[0, datagram.Length - 1], Gen.Byte).Array[1, 12].Sample(mutations =>
        {
            var copy = (byte[])datagram.Clone();
            foreach (var (at, value) in mutations) copy[at] = value;
            TryParse(copy);
        }, iter: 20_000);
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Lying_length_fields_at_every_message_and_attribute_fail_cleanly(string capture)
    {
        var datagram = NetlinkBytes.FromHexFile(capture);
        var messageOffsets = new List<int>();
        var attributeOffsets = new List<int>();
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            messageOffsets.Add(message.Offset);
            if (message.Type != SockDiagConstants.SOCK_DIAG_BY_FAMILY) continue;
            var at = message.Offset + nlmsghdr.Size + inet_diag_msg.Size;
            var attributes = new NetlinkAttributeReader(message.Payload[inet_diag_msg.Size..]);
            while (attributes.TryRead(out var attribute))
            {
                attributeOffsets.Add(at);
                at += NetlinkConstants.Align(attribute.Payload.Length + nlattr.Size);
            }
        }
        Assert.NotEmpty(attributeOffsets);

        uint[] messageLies = [0, 1, 15, 16, 17, 87, 88, 89, 1000, 0x7FFFFFFF, 0xFFFFFFFF];
        foreach (var offset in messageOffsets)
            foreach (var lie in messageLies)
            {
                var copy = (byte[])datagram.Clone();
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), lie);
                TryParse(copy);
            }
        ushort[] attributeLies = [0, 1, 3, 4, 5, 200, 0x7FFF, 0xFFFF];
        foreach (var offset in attributeOffsets)
            foreach (var lie in attributeLies)
            {
                var copy = (byte[])datagram.Clone();
                BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset), lie);
                TryParse(copy);
            }
    }

    [Fact]
    public void Random_inet_diag_payloads_parse_or_fail_cleanly() =>
        Gen.Select(Gen.Int[0, 3].Select(i => new byte[] { 2, 10, 0, 255 }[i]), Gen.Byte.Array[60, 400]).Sample((family, bytes) =>
        {
            bytes[0] = family;
            var datagram = NetlinkBytes.Message(SockDiagConstants.SOCK_DIAG_BY_FAMILY, NetlinkConstants.NLM_F_MULTI, 1, bytes);
            TryParse(datagram);
        }, iter: 20_000);

    [Fact]
    public void Unknown_attributes_around_INET_DIAG_INFO_are_skipped() =>
        Gen.Select(Gen.UShort[20, 0x3FFF], Gen.Byte.Array[0, 64]).Array[0, 6].Sample(unknown =>
        {
            var info = new byte[136];
            BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(120), 42);
            var header = new byte[72];
            header[0] = 2;
            var payload = NetlinkBytes.Concat([header, .. unknown.Select(u => NetlinkBytes.Attribute(u.Item1, u.Item2)), NetlinkBytes.Attribute(SockDiagConstants.INET_DIAG_INFO, info)]);
            var entries = SockDiagDatagram.Parse(NetlinkBytes.Message(SockDiagConstants.SOCK_DIAG_BY_FAMILY, 0, 1, payload), SocketProtocol.Tcp);
            Assert.Equal(42ul, Assert.Single(entries).Tcp!.Value.BytesSent);
        }, iter: 5_000);

    private static bool TryParse(ReadOnlySpan<byte> datagram)
    {
        try
        {
            SockDiagDatagram.Parse(datagram, SocketProtocol.Tcp);
            return true;
        }
        catch (NetlinkParseException)
        {
            return false;
        }
    }
}
