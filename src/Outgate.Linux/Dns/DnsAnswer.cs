namespace Outgate.Linux.Dns;

/// <summary>The parts of a DNS message that Outgate acts on. Names are lower case without the trailing dot; the root is "".</summary>
public sealed record DnsAnswer
{
    public required ushort Id { get; init; }

    public required DnsHeaderFlags Flags { get; init; }

    /// <summary>0 is a standard QUERY; anything else carries no answers we use.</summary>
    public required byte Opcode { get; init; }

    /// <summary>The RCODE, with the EDNS extended bits when an OPT record was present.</summary>
    public required DnsResponseCode ResponseCode { get; init; }

    public required string QuestionName { get; init; }

    public required DnsRecordType QuestionType { get; init; }

    /// <summary>The message ended inside a record; the records before it were kept.</summary>
    public required bool IsCut { get; init; }

    /// <summary>The UDP payload size from an EDNS OPT record, or null without EDNS.</summary>
    public ushort? EdnsPayloadSize { get; init; }

    /// <summary>Every A and AAAA answer of class IN, in message order, related to the question or not.</summary>
    public required IReadOnlyList<DnsAddressRecord> Addresses { get; init; }

    /// <summary>Every CNAME answer of class IN, in message order.</summary>
    public required IReadOnlyList<DnsCnameRecord> Cnames { get; init; }

    /// <summary>The question name followed by the CNAME targets reached from it, in order.</summary>
    public required IReadOnlyList<string> CnameChain { get; init; }

    /// <summary>
    /// Address → names for the address records whose owner is on <see cref="CnameChain"/>. Address records for other
    /// names are left out: a resolver has no business answering them, and trusting them would let any answer claim
    /// any name (classic cache poisoning).
    /// </summary>
    public required IReadOnlyList<DnsAddressMapping> Mappings { get; init; }

    public bool IsResponse => (Flags & DnsHeaderFlags.Response) != 0;

    /// <summary>The server set TC, or the message was cut: either way the client will probably retry over TCP.</summary>
    public bool IsTruncated => (Flags & DnsHeaderFlags.Truncated) != 0 || IsCut;
}
