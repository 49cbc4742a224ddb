using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;
using System.Buffers.Binary;

namespace Outgate.Linux.Dns;

/// <summary>
/// Parses a DNS message (a UDP payload, or one TCP message without its length prefix; see
/// <see cref="DnsTcpMessageFramer"/>) into the <see cref="DnsAnswer"/> Outgate needs: the question, the A, AAAA and
/// CNAME answers, and address → names mappings along the CNAME chain. Input is untrusted: the parser never throws,
/// bounds its work (see <see cref="DnsNameReader"/>, <see cref="MaxAnswerRecords"/>), and allocates nothing for a
/// message it refuses, because it validates the whole message once before building any string.
/// </summary>
/// <remarks>
/// Layout (RFC 1035 4.1): a 12-byte header <c>ID FLAGS QDCOUNT ANCOUNT NSCOUNT ARCOUNT</c> (big-endian 16-bit each),
/// the question (name, type, class), then ANCOUNT + NSCOUNT + ARCOUNT records of <c>name TYPE CLASS TTL(32)
/// RDLENGTH RDATA</c>. Only answer-section records of class IN are used; authority and additional records are
/// stepped over, except an EDNS OPT record (RFC 6891), whose CLASS is the sender's UDP payload size and whose TTL's
/// top byte extends RCODE by 4 bits. A message that ends inside a record keeps the complete records before it and is
/// marked <see cref="DnsAnswer.IsCut"/>.
/// </remarks>
public static class DnsAnswerParser
{
    public const int HeaderLength = 12;

    /// <summary>A, AAAA and CNAME answers kept from one message; more is refused as <see cref="DnsParseError.TooManyRecords"/>.</summary>
    public const int MaxAnswerRecords = 256;

    /// <summary>CNAME links followed from the question name; longer chains stop there (resolvers give up around 8-16 too).</summary>
    public const int MaxCnameChain = 16;

    private const ushort ClassIN = 1;

    public static bool TryParse(ReadOnlySpan<byte> message, [NotNullWhen(true)] out DnsAnswer? answer, out DnsParseError error)
    {
        answer = null;
        error = Scan(message, null, out _);
        if (error != DnsParseError.None) return false;

        var collector = new AnswerCollector();
        Scan(message, collector, out var summary);
        answer = collector.Build(summary);
        return true;
    }

    /// <summary>The header and EDNS facts from one pass over the message.</summary>
    private struct ScanSummary
    {
        public ushort Id;
        public ushort FlagsWord;
        public DnsRecordType QuestionType;
        public int ExtendedRcode;
        public int EdnsPayloadSize;
        public bool IsCut;
    }

    /// <summary>One pass over the message; with a null <paramref name="collector"/> it only validates (and allocates nothing).</summary>
    private static DnsParseError Scan(ReadOnlySpan<byte> message, AnswerCollector? collector, out ScanSummary summary)
    {
        summary = default;
        summary.EdnsPayloadSize = -1;
        if (message.Length < HeaderLength) return DnsParseError.TooShort;
        summary.Id = BinaryPrimitives.ReadUInt16BigEndian(message);
        summary.FlagsWord = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        if (questions == 0) return DnsParseError.NoQuestion;
        if (questions > 1) return DnsParseError.TooManyQuestions;

        Span<byte> owner = stackalloc byte[DnsNameReader.TextBufferLength];
        Span<byte> target = stackalloc byte[DnsNameReader.TextBufferLength];
        var error = DnsNameReader.Read(message, HeaderLength, owner, out var ownerLength, out var position);
        if (error != DnsParseError.None) return error;
        if (position + 4 > message.Length) return DnsParseError.TooShort;
        summary.QuestionType = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
        position += 4;
        collector?.SetQuestion(owner[..ownerLength]);

        var used = 0;
        for (var section = 0; section < 3; section++)
        {
            int count = BinaryPrimitives.ReadUInt16BigEndian(message[(6 + 2 * section)..]);
            for (var i = 0; i < count; i++)
            {
                var ownerOffset = position;
                error = DnsNameReader.Skip(message, ownerOffset, out var nameEnd);
                if (error == DnsParseError.TooShort || (error == DnsParseError.None && nameEnd + 10 > message.Length))
                {
                    summary.IsCut = true;
                    return DnsParseError.None;
                }

                if (error != DnsParseError.None) return error;
                var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(message[nameEnd..]);
                var @class = BinaryPrimitives.ReadUInt16BigEndian(message[(nameEnd + 2)..]);
                var rawTtl = BinaryPrimitives.ReadUInt32BigEndian(message[(nameEnd + 4)..]);
                int dataLength = BinaryPrimitives.ReadUInt16BigEndian(message[(nameEnd + 8)..]);
                var data = nameEnd + 10;
                if (data + dataLength > message.Length)
                {
                    summary.IsCut = true;
                    return DnsParseError.None;
                }

                position = data + dataLength;
                if (section == 2 && type == DnsRecordType.OPT && summary.EdnsPayloadSize < 0)
                {
                    summary.EdnsPayloadSize = @class;
                    summary.ExtendedRcode = (int)(rawTtl >> 24);
                    continue;
                }

                if (section != 0 || @class != ClassIN || type is not (DnsRecordType.A or DnsRecordType.AAAA or DnsRecordType.CNAME)) continue;
                if (++used > MaxAnswerRecords) return DnsParseError.TooManyRecords;

                // RFC 2181 8: a TTL with the top bit set is treated as 0.
                var ttl = rawTtl > int.MaxValue ? 0u : rawTtl;
                error = DnsNameReader.Read(message, ownerOffset, owner, out ownerLength, out _);
                if (error != DnsParseError.None) return error;
                var rdata = message.Slice(data, dataLength);
                switch (type)
                {
                    case DnsRecordType.A when dataLength != 4:
                    case DnsRecordType.AAAA when dataLength != 16:
                        return DnsParseError.BadAddressLength;
                    case DnsRecordType.CNAME:
                        // Names in RDATA may point anywhere earlier in the message, so read with the whole message in view.
                        error = DnsNameReader.Read(message[..(data + dataLength)], data, target, out var targetLength, out var targetEnd);
                        if (error == DnsParseError.TooShort || (error == DnsParseError.None && targetEnd != data + dataLength)) return DnsParseError.BadCnameData;
                        if (error != DnsParseError.None) return error;
                        collector?.AddCname(owner[..ownerLength], target[..targetLength], ttl);
                        break;
                    default:
                        collector?.AddAddress(owner[..ownerLength], rdata, ttl);
                        break;
                }
            }
        }

        return DnsParseError.None;
    }

    /// <summary>Builds the answer in the second pass, once the message is known to be good; shares one string per distinct name.</summary>
    private sealed class AnswerCollector
    {
        private readonly List<string> _names = [];
        private readonly List<DnsAddressRecord> _addresses = [];
        private readonly List<DnsCnameRecord> _cnames = [];
        private string _question = "";

        public void SetQuestion(ReadOnlySpan<byte> name) => _question = Intern(name);

        public void AddAddress(ReadOnlySpan<byte> owner, ReadOnlySpan<byte> address, uint ttl)
            => _addresses.Add(new DnsAddressRecord(Intern(owner), new IPAddress(address), ttl));

        public void AddCname(ReadOnlySpan<byte> owner, ReadOnlySpan<byte> target, uint ttl)
            => _cnames.Add(new DnsCnameRecord(Intern(owner), Intern(target), ttl));

        public DnsAnswer Build(in ScanSummary summary)
        {
            // Walk question → CNAME → CNAME...; ttls[i] is the smallest TTL on the way to chain[i].
            List<string> chain = [_question];
            List<uint> ttls = [uint.MaxValue];
            while (chain.Count <= MaxCnameChain)
            {
                var link = _cnames.Find(c => c.Name == chain[^1]);
                if (link is null || chain.Contains(link.Target)) break;
                chain.Add(link.Target);
                ttls.Add(Math.Min(ttls[^1], link.Ttl));
            }

            var prefixes = new string[chain.Count][];
            var mappings = new List<DnsAddressMapping>(_addresses.Count);
            foreach (var record in _addresses)
            {
                var at = chain.IndexOf(record.Name);
                if (at < 0) continue;
                prefixes[at] ??= [.. chain.Take(at + 1)];
                mappings.Add(new DnsAddressMapping(record.Address, Math.Min(record.Ttl, ttls[at]), prefixes[at]));
            }

            return new DnsAnswer
            {
                Id = summary.Id,
                Flags = (DnsHeaderFlags)(summary.FlagsWord & (ushort)(DnsHeaderFlags.Response | DnsHeaderFlags.Authoritative | DnsHeaderFlags.Truncated |
                    DnsHeaderFlags.RecursionDesired | DnsHeaderFlags.RecursionAvailable | DnsHeaderFlags.AuthenticData | DnsHeaderFlags.CheckingDisabled)),
                Opcode = (byte)((summary.FlagsWord >> 11) & 0xF),
                ResponseCode = (DnsResponseCode)((summary.ExtendedRcode << 4) | (summary.FlagsWord & 0xF)),
                QuestionName = _question,
                QuestionType = summary.QuestionType,
                IsCut = summary.IsCut,
                EdnsPayloadSize = summary.EdnsPayloadSize < 0 ? null : (ushort)summary.EdnsPayloadSize,
                Addresses = _addresses,
                Cnames = _cnames,
                CnameChain = chain,
                Mappings = mappings,
            };
        }

        private string Intern(ReadOnlySpan<byte> name)
        {
            foreach (var known in _names)
                if (Ascii.Equals(name, known)) return known;
            var text = Encoding.ASCII.GetString(name);
            _names.Add(text);
            return text;
        }
    }
}
