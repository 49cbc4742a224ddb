namespace Outgate.Linux.Dns;

/// <summary>Why <see cref="DnsAnswerParser"/> refused a message. Each value names one bound or wire rule.</summary>
public enum DnsParseError : byte
{
    None = 0,

    /// <summary>Fewer than the 12 header bytes, or the message ends inside the question.</summary>
    TooShort,

    /// <summary>QDCOUNT is 0: nothing to tie the answers to.</summary>
    NoQuestion,

    /// <summary>QDCOUNT is above 1; no real resolver sends that (RFC 9619).</summary>
    TooManyQuestions,

    /// <summary>A label's top bits are 01 or 10 (the abandoned extended label types).</summary>
    ReservedLabelType,

    /// <summary>A name has more than 127 labels.</summary>
    TooManyLabels,

    /// <summary>A name's wire form is longer than 255 bytes.</summary>
    NameTooLong,

    /// <summary>A compression pointer points past the end of the message.</summary>
    PointerOutOfRange,

    /// <summary>
    /// A compression pointer points at or after the start of the name (or name part) it sits in. Real compressors
    /// only point back at names already written; forward pointers are how pointer loops are built.
    /// </summary>
    PointerNotBackwards,

    /// <summary>More than 64 compression pointers followed in one name.</summary>
    TooManyPointerJumps,

    /// <summary>A label holds a dot, a space, a control byte or a non-ASCII byte: it could not be matched against domain lists unambiguously.</summary>
    BadNameCharacter,

    /// <summary>An A record's data is not 4 bytes, or an AAAA record's not 16.</summary>
    BadAddressLength,

    /// <summary>A CNAME's target name does not end exactly at the end of its record data.</summary>
    BadCnameData,

    /// <summary>More A, AAAA and CNAME answers than the parser keeps (<see cref="DnsAnswerParser.MaxAnswerRecords"/>).</summary>
    TooManyRecords,
}
