using CsCheck;
using Outgate.Daemon.Alerts.Detectors;

namespace Outgate.EndToEnd.Tests.Alerts.Detectors;

public sealed class DnsQueryParserTests
{
    /// <summary>A query as a resolver client sends it: id, RD flag, one question, optional EDNS OPT record.</summary>
    public static byte[] Query(string name, ushort type = 1, ushort id = 0x1234, bool edns = false)
    {
        var bytes = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, (byte)(edns ? 1 : 0) };
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        bytes.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        if (edns) bytes.AddRange([0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]);
        return [.. bytes];
    }

    [Fact]
    public void Reads_the_question_of_a_query()
    {
        Assert.Equal(DnsQueryStatus.Query, DnsQueryParser.TryParse(Query("WWW.Example.com", 16, 0xBEEF, edns: true), false, out var q));
        Assert.Equal(new DnsQuestion("www.example.com", 16, 0xBEEF), q);
        Assert.True(q.IsTxtOrNull);
    }

    [Fact]
    public void The_worked_example_of_the_doc_comment_parses()
    {
        byte[] wire = [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77, 0x77, 7, 0x65, 0x78, 0x61, 0x6D, 0x70, 0x6C, 0x65, 3, 0x63, 0x6F, 0x6D, 0, 0, 1, 0, 1];
        Assert.Equal(DnsQueryStatus.Query, DnsQueryParser.TryParse(wire, false, out var q));
        Assert.Equal("www.example.com", q.Name);
    }

    [Theory]
    [InlineData("hello world\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n")]
    public void Other_bytes_are_not_dns(string text) =>
        Assert.Equal(DnsQueryStatus.NotDns, DnsQueryParser.TryParse(System.Text.Encoding.ASCII.GetBytes(text), false, out _));

    [Fact]
    public void A_response_is_not_a_query()
    {
        var response = Query("example.com");
        response[2] |= 0x80;
        Assert.Equal(DnsQueryStatus.NotDns, DnsQueryParser.TryParse(response, false, out _));
    }

    [Fact]
    public void A_compression_pointer_in_the_question_is_not_dns()
    {
        byte[] wire = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 0x0C, 0, 1, 0, 1];
        Assert.Equal(DnsQueryStatus.NotDns, DnsQueryParser.TryParse(wire, false, out _));
    }

    [Fact]
    public void A_query_cut_by_the_capture_is_not_judged()
    {
        var full = Query("a-fairly-long-label-that-goes-on.example.com");
        for (var n = 0; n < full.Length; n++)
        {
            Assert.Equal(DnsQueryStatus.Incomplete, DnsQueryParser.TryParse(full.AsSpan(0, n), cut: true, out _));
            Assert.Equal(DnsQueryStatus.NotDns, DnsQueryParser.TryParse(full.AsSpan(0, n), cut: false, out _));
        }
    }

    [Fact]
    public void Garbage_never_throws_and_a_parsed_name_is_bounded() =>
        Gen.Byte.Array[0, 600].Select(Gen.Bool).Sample((bytes, cut) =>
        {
            var status = DnsQueryParser.TryParse(bytes, cut, out var q);
            return status != DnsQueryStatus.Query || q.Name.Length <= 253;
        }, iter: 20_000);

    [Fact]
    public void Mutated_queries_never_throw() =>
        Gen.Int[0, 200].Select(Gen.Byte, Gen.String[Gen.Char['a', 'z'], 1, 63]).Sample((position, value, label) =>
        {
            var wire = Query(label + ".example.com", 16);
            wire[position % wire.Length] = value;
            DnsQueryParser.TryParse(wire, false, out _);
            DnsQueryParser.TryParse(wire.AsSpan(0, position % wire.Length), true, out _);
        }, iter: 20_000);
}
