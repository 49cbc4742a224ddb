namespace Outgate.Policy.Domains;

/// <summary>Why a list entry is not a domain name <see cref="DomainSuffixSet"/> can hold.</summary>
public enum DomainNameError : byte
{
    None = 0,
    Empty,
    TooLong,
    EmptyLabel,
    LabelTooLong,
    BadCharacter,
    NotAscii,
}
