using BenchmarkDotNet.Attributes;
using Outgate.Linux.Dns;

namespace Outgate.Benchmarks.Domains;

/// <summary>Parsing a typical CDN answer (CNAME → CNAME → 2 A, compressed, EDNS) and refusing a pointer-loop packet.</summary>
[MemoryDiagnoser]
public class DnsAnswerParserBenchmarks
{
    // www.example.com A? → CNAME edgekey.net → CNAME e1.a.akamaiedge.net → A 23.215.0.136, 23.215.0.137; OPT 1232.
    private static readonly byte[] CdnAnswer = Convert.FromHexString(
        "12348180000100040000000103777777076578616d706c6503636f6d0000010001" +
        "c00c000500010000012c000d07656467656b6579036e657400" +
        "c02d0005000100000014001202653101610a616b616d616965646765c035" +
        "c0460001000100000014000417d70088" +
        "c0460001000100000014000417d70089" +
        "00002904d0000000000000");

    private static readonly byte[] PointerLoop = Convert.FromHexString("123481800001000000000000c00c00010001");

    [GlobalSetup]
    public void Setup()
    {
        if (!DnsAnswerParser.TryParse(CdnAnswer, out var answer, out var error) || answer.Mappings.Count != 2 || answer.Mappings[0].Names.Count != 3)
            throw new InvalidOperationException($"bad sample: {error}");
    }

    [Benchmark(Baseline = true)]
    public int Cdn_answer() => DnsAnswerParser.TryParse(CdnAnswer, out var answer, out _) ? answer.Mappings.Count : -1;

    [Benchmark]
    public DnsParseError Refused_pointer_loop()
    {
        DnsAnswerParser.TryParse(PointerLoop, out _, out var error);
        return error;
    }
}
