using CsCheck;
using Outgate.Linux.Dns;

namespace Outgate.Linux.Tests.Dns;

/// <summary>Untrusted input: garbage and mangled real-shaped messages must never throw (and must end: the parser's hop and depth caps).</summary>
public class DnsAnswerParserPropertyTests
{
    public static TheoryData<string> Samples => [.. DnsCorpus.Names];

    private static void ParseBounded(byte[] message)
    {
        if (DnsAnswerParser.TryParse(message, out var answer, out var error))
        {
            Assert.Equal(DnsParseError.None, error);
            Assert.True(answer.Mappings.Count <= answer.Addresses.Count);
            Assert.True(answer.CnameChain.Count <= DnsAnswerParser.MaxCnameChain + 1);
        }
        else
        {
            Assert.Null(answer);
            Assert.NotEqual(DnsParseError.None, error);
        }
        // No wall-clock bound here (STYLE: no timed assertions; it failed under a load average of 15 on
        // 2 vCPUs). Termination is structural: pointer hops and CNAME depth are capped in the parser,
        // and a parse that looped would hang this test run instead of passing.
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Corpus_messages_parse(string sample)
    {
        Assert.True(DnsAnswerParser.TryParse(DnsCorpus.Get(sample), out var answer, out var error), $"{sample}: {error}");
        Assert.NotEmpty(answer.Mappings);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_truncation_parses_a_prefix_of_the_answers_or_is_refused(string sample)
    {
        var message = DnsCorpus.Get(sample);
        Assert.True(DnsAnswerParser.TryParse(message, out var full, out _));
        for (var length = 0; length < message.Length; length++)
        {
            if (!DnsAnswerParser.TryParse(message.AsSpan(0, length), out var cut, out var error))
            {
                Assert.Equal(DnsParseError.TooShort, error);
                continue;
            }
            Assert.Equal(full.Addresses.Take(cut.Addresses.Count).Select(a => a.Address), cut.Addresses.Select(a => a.Address));
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Mutated_messages_never_throw(string sample)
    {
        var message = DnsCorpus.Get(sample);
        var flips = Gen.Select(Gen.Int[0, message.Length - 1], Gen.Byte).Array[1, 6]
            .Select(mutations => { var copy = (byte[])message.Clone(); foreach (var (at, value) in mutations) copy[at] = value; return copy; });
        var cutsAndInserts = Gen.Select(Gen.Int[0, message.Length], Gen.Int[0, message.Length], Gen.Byte.Array[0, 8])
            .Select((cut, at, insert) => { var head = message[..cut]; at = Math.Min(at, head.Length); return (byte[])[.. head[..at], .. insert, .. head[at..]]; });
        Gen.Frequency((3, flips), (1, cutsAndInserts)).Sample(ParseBounded, iter: 20_000);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Gen.Byte.Array[0, 600].Sample(ParseBounded, iter: 30_000);
        // Random bytes rarely get past the header; plant a plausible one so the record walker sees the garbage too.
        Gen.Select(Gen.Byte.Array[0, 600], Gen.UShort, Gen.UShort).Sample((body, answers, extra) =>
            ParseBounded([0x12, 0x34, 0x81, 0x80, 0, 1, (byte)(answers >> 8 & 1), (byte)answers, 0, (byte)(extra & 3), 0, (byte)(extra >> 8 & 3), .. body]), iter: 30_000);
    }
}
