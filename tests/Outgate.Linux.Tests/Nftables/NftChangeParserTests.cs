using System.Buffers.Binary;
using System.Text;
using CsCheck;
using Outgate.Linux.Netlink;
using Outgate.Linux.Nftables;
using Outgate.Linux.Tests.Netlink;

namespace Outgate.Linux.Tests.Nftables;

public class NftChangeParserTests
{
    private static ushort Type(NftMessageType type) => (ushort)(10 << 8 | (byte)type);

    private static byte[] Nfgen(byte family, ushort resId = 0)
    {
        var b = new byte[4];
        b[0] = family;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), resId);
        return b;
    }

    private static byte[] Str(ushort type, string value) => NetlinkBytes.Attribute(type, Encoding.UTF8.GetBytes(value + "\0"));

    private static byte[] Be32(ushort type, uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return NetlinkBytes.Attribute(type, b);
    }

    private static byte[] Be64(ushort type, ulong value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, value);
        return NetlinkBytes.Attribute(type, b);
    }

    internal static byte[] NewTable(string name) =>
        NetlinkBytes.Message(Type(NftMessageType.NewTable), 0x500, 0, NetlinkBytes.Concat(Nfgen(1, 7), Str(1, name), Be32(2, 0), Be32(3, 0), Be64(4, 42)));

    internal static byte[] NewGen(uint id, uint pid, string comm) =>
        NetlinkBytes.Message(Type(NftMessageType.NewGeneration), 0, 0, NetlinkBytes.Concat(Nfgen(0, (ushort)id), Be32(1, id), Be32(2, pid), Str(3, comm)));

    private static NftChangeSnapshot Parse(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        Assert.True(reader.TryRead(out var message));
        Assert.True(NftChangeParser.TryParse(message, out var change));
        return NftChangeSnapshot.Of(change);
    }

    [Fact]
    public void New_table_gives_family_name_and_handle()
    {
        var change = Parse(NewTable("outgate"));
        Assert.Equal(new NftChangeSnapshot(NftObjectKind.Table, true, 1, "outgate", "", 42, 0, 0, ""), change);
    }

    [Fact]
    public void Table_names_compare_without_allocating()
    {
        var reader = new NetlinkMessageReader(NewTable("outgate"));
        Assert.True(reader.TryRead(out var message));
        Assert.True(NftChangeParser.TryParse(message, out var change));
        Assert.True(change.IsTable(NftChange.FamilyInet, "outgate"u8));
        Assert.False(change.IsTable(2, "outgate"u8));
        Assert.False(change.IsTable(NftChange.FamilyInet, "outgate_queue"u8));
        Assert.Equal("add table inet outgate", change.ToString());
    }

    [Theory]
    [InlineData(NftMessageType.DelChain, 3, NftObjectKind.Chain, false)]
    [InlineData(NftMessageType.NewRule, 2, NftObjectKind.Rule, true)]
    [InlineData(NftMessageType.DestroyRule, 2, NftObjectKind.Rule, false)]
    [InlineData(NftMessageType.NewSet, 2, NftObjectKind.Set, true)]
    [InlineData(NftMessageType.DelSetElement, 2, NftObjectKind.SetElement, false)]
    [InlineData(NftMessageType.NewObject, 2, NftObjectKind.Object, true)]
    [InlineData(NftMessageType.DelFlowtable, 2, NftObjectKind.Flowtable, false)]
    public void Other_objects_name_their_table_and_themselves(NftMessageType type, ushort nameAttribute, NftObjectKind kind, bool isAdd)
    {
        var bytes = NetlinkBytes.Message(Type(type), 0, 0, NetlinkBytes.Concat(Nfgen(10), Str(1, "t"), Str(nameAttribute, "thing")));
        Assert.Equal(new NftChangeSnapshot(kind, isAdd, 10, "t", "thing", 0, 0, 0, ""), Parse(bytes));
    }

    [Fact]
    public void Generation_names_the_committing_process()
    {
        Assert.Equal(new NftChangeSnapshot(NftObjectKind.Generation, true, 0, "", "", 0, 1234, 4321, "nft"), Parse(NewGen(1234, 4321, "nft")));
    }

    [Fact]
    public void Get_trace_other_subsystems_and_tableless_objects_are_not_changes()
    {
        foreach (var bytes in new[]
        {
            NetlinkBytes.Message(Type(NftMessageType.GetTable), 0, 0, NetlinkBytes.Concat(Nfgen(1), Str(1, "x"))),
            NetlinkBytes.Message(Type(NftMessageType.Trace), 0, 0, NetlinkBytes.Concat(Nfgen(1), Str(1, "x"))),
            NetlinkBytes.Message(1 << 8 | 0, 0, 0, NetlinkBytes.Concat(Nfgen(2), Str(1, "x"))), // ctnetlink
            NetlinkBytes.Message(Type(NftMessageType.NewChain), 0, 0, NetlinkBytes.Concat(Nfgen(1), Str(3, "chain"))),
            NetlinkBytes.Message(Type(NftMessageType.NewGeneration), 0, 0, Nfgen(0)),
            NetlinkBytes.Message(Type(NftMessageType.NewTable), 0, 0, new byte[2]),
        })
        {
            var reader = new NetlinkMessageReader(bytes);
            Assert.True(reader.TryRead(out var message));
            Assert.False(NftChangeParser.TryParse(message, out _));
        }
    }

    [Fact]
    public void A_name_without_its_terminator_is_taken_whole()
    {
        var bytes = NetlinkBytes.Message(Type(NftMessageType.NewTable), 0, 0, NetlinkBytes.Concat(Nfgen(1), NetlinkBytes.Attribute(1, "abc"u8)));
        Assert.Equal("abc", Parse(bytes).Table);
    }

    [Fact]
    public void Garbage_payloads_never_throw() =>
        Gen.Select(Gen.Byte[0, 40], Gen.Byte.Array[0, 200]).Sample((type, payload) =>
        {
            if (NftChangeParser.TryParse((ushort)(10 << 8 | type), 0, payload, out var change))
                _ = change.ToString();
        }, iter: 20_000);

    [Fact]
    public void Mutated_real_shaped_messages_never_throw()
    {
        var datagram = NetlinkBytes.Concat(NewTable("outgate"), NewGen(9, 100, "nft"));
        Gen.Select(Gen.Int[0, datagram.Length - 1], Gen.Byte).Array[1, 8].Sample(mutations =>
        {
            var copy = (byte[])datagram.Clone();
            foreach (var (at, value) in mutations) copy[at] = value;
            var reader = new NetlinkMessageReader(copy);
            try
            {
                while (reader.TryRead(out var message))
                    if (NftChangeParser.TryParse(message, out var change)) _ = change.ToString();
            }
            catch (NetlinkParseException) { }
        }, iter: 20_000);
    }

    [Fact]
    public void Every_truncation_parses_or_returns_false()
    {
        var payload = NewTable("outgate").AsSpan(16).ToArray();
        for (var length = 0; length <= payload.Length; length++)
            NftChangeParser.TryParse(Type(NftMessageType.NewTable), 0, payload.AsSpan(0, length), out _);
    }
}

/// <summary>A copy of an <see cref="NftChange"/> (whose spans die with the handler call) for assertions.</summary>
internal sealed record NftChangeSnapshot(NftObjectKind Kind, bool IsAdd, byte Family, string Table, string Name, ulong Handle, uint GenerationId, int ProcessId, string ProcessName)
{
    public static NftChangeSnapshot Of(in NftChange c) =>
        new(c.Kind, c.IsAdd, c.Family, c.TableString, c.NameString, c.Handle, c.GenerationId, c.ProcessId, c.ProcessNameString);
}
