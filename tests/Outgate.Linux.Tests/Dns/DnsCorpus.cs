using Outgate.Linux.Dns;

namespace Outgate.Linux.Tests.Dns;

/// <summary>
/// Messages shaped like what resolvers send (compression as BIND/Unbound/dnsmasq write it, EDNS, CDN CNAME chains,
/// DNSSEC records in the way), as bytes, for the property tests to mangle.
/// </summary>
internal static class DnsCorpus
{
    public static readonly string[] Names = ["cdn-chain", "dual-stack-edns", "dnssec-noise", "tcp-framed", "github-like"];

    public static byte[] Get(string name) => name switch
    {
        // www.example.com CNAME edgekey.net CNAME e1.a.akamaiedge.net, A x2; owners and the second target compressed.
        "cdn-chain" => CdnChain(),
        "dual-stack-edns" => new DnsMessageBytes(flags: 0x81A0).Question("Mail.Example.ORG", 28)
            .A(DnsMessageBytes.Pointer(12), "2001:db8:10::25", 1800).A(DnsMessageBytes.Pointer(12), "2001:db8:10::26", 1800).Opt(1232).ToArray(),
        "dnssec-noise" => new DnsMessageBytes(flags: 0x81A0).Question("secure.example")
            .A(DnsMessageBytes.Pointer(12), "192.0.2.44", 86400)
            .Record(1, DnsMessageBytes.Pointer(12), 46, 1, 86400, new byte[90])
            .Record(2, [7, .. "example"u8, 0], 2, 1, 3600, [3, .. "ns1"u8, .. DnsMessageBytes.Pointer(12 + 7)])
            .Opt(4096).ToArray(),
        // A TCP response: the framer must peel the 2-byte length off first.
        "tcp-framed" => Unframe([0, 45, .. new DnsMessageBytes().Question("tcp.example").A(DnsMessageBytes.Pointer(12), "198.51.100.7", 5).ToArray()]),
        // Literal bytes of a typical recursive answer: api.github.com A 140.82.112.5 TTL 60, EDNS 1232.
        "github-like" => Convert.FromHexString(
            "a1b281800001000100000001036170690667697468756203636f6d0000010001" +
            "c00c000100010000003c00048c527005" +
            "00002904d0000000000000"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] CdnChain()
    {
        var m = new DnsMessageBytes().Question("www.example.com");
        var cnameData = m.Length + 2 + 10; // where the first CNAME's RDATA starts
        m.Record(1, DnsMessageBytes.Pointer(12), 5, 1, 300, [7, .. "edgekey"u8, 3, .. "net"u8, 0]);
        var second = m.Length;
        m.Record(1, DnsMessageBytes.Pointer(cnameData), 5, 1, 20, [2, .. "e1"u8, 1, (byte)'a', 10, .. "akamaiedge"u8, .. DnsMessageBytes.Pointer(cnameData + 8)]);
        var aOwner = second + 2 + 10;
        m.A(DnsMessageBytes.Pointer(aOwner), "23.215.0.136", 20).A(DnsMessageBytes.Pointer(aOwner), "23.215.0.137", 20);
        return m.ToArray();
    }

    private static byte[] Unframe(byte[] stream)
    {
        Assert.True(DnsTcpMessageFramer.TryReadFramed(stream, out var length, out var consumed));
        Assert.Equal(stream.Length, consumed);
        return stream[2..(2 + length)];
    }
}
